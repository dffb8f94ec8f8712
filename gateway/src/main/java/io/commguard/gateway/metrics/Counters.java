package io.commguard.gateway.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Named counters with an optional device and reason, shown as e.g.
 * {@code rejected{device=cam-1,reason=malformed_json}}. Counter names are snake_case.
 *
 * <p>Most messages bump a labelled counter, so an increment must not build a string: counters are
 * kept under a small key record (whose hash comes from the strings' cached hashes) and rendered
 * as text only for {@link #snapshot()}.
 *
 * <p>Labels may come from peers (a device id read from a topic), so the number of series is capped
 * at {@link #MAX_SERIES}: beyond it, a new device label is counted under
 * {@code device=_overflow} (same name and reason), and labels longer than {@link Untrusted#MAX_LABEL_CHARS} are truncated before they become a key,
 * and every label is escaped when rendered ({@link Untrusted#label}).
 */
public final class Counters {
  private record Key(String name, String deviceId, String reason) {
    // Written out: a record's generated equals/hashCode go through method handles, which the
    // C1-only JVM line the gateway ships with does not inline.
    @Override
    public int hashCode() {
      return (name.hashCode() * 31 + Objects.hashCode(deviceId)) * 31 + Objects.hashCode(reason);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && name.equals(k.name) && Objects.equals(deviceId, k.deviceId)
          && Objects.equals(reason, k.reason);
    }

    String render() {
      return deviceId == null && reason == null ? name
          : name + "{device=" + Untrusted.label(deviceId) + ",reason=" + Untrusted.label(reason) + "}";
    }
  }

  /** Distinct series kept; far above what a gateway's configured devices produce. */
  public static final int MAX_SERIES = 20_000;

  private final ConcurrentHashMap<Key, LongAdder> values = new ConcurrentHashMap<>();

  public void increment(String name) {
    add(name, 1);
  }

  public void increment(String name, String deviceId, String reason) {
    adder(new Key(name, capped(deviceId), capped(reason))).increment();
  }

  /** Over-long label text is kept only as its truncated form, so a key never holds a peer's megabytes. */
  private static String capped(String label) {
    return label == null || label.length() <= Untrusted.MAX_LABEL_CHARS ? label : Untrusted.label(label);
  }

  public void add(String name, long delta) {
    adder(new Key(name, null, null)).add(delta);
  }

  private LongAdder adder(Key key) {
    LongAdder adder = values.get(key);
    if (adder != null) {
      return adder;
    }
    if (values.size() >= MAX_SERIES && key.deviceId() != null) {
      key = new Key(key.name(), Untrusted.OVERFLOW, key.reason());
    }
    return values.computeIfAbsent(key, k -> new LongAdder());
  }

  /** Number of distinct series held (bounded by {@link #MAX_SERIES} plus the overflow series). */
  public int series() {
    return values.size();
  }

  public long get(String name) {
    return sum(new Key(name, null, null));
  }

  public long get(String name, String deviceId, String reason) {
    return sum(new Key(name, capped(deviceId), capped(reason)));
  }

  private long sum(Key key) {
    LongAdder adder = values.get(key);
    return adder == null ? 0 : adder.sum();
  }

  /** Sum over every device and reason of one counter name. */
  public long total(String name) {
    long sum = 0;
    for (Map.Entry<Key, LongAdder> e : values.entrySet()) {
      if (e.getKey().name().equals(name)) {
        sum += e.getValue().sum();
      }
    }
    return sum;
  }

  /** What {@link #forEachSeries} hands out: one series and its live value. */
  public interface SeriesVisitor {
    /** {@code deviceId} and {@code reason} are null for an unlabelled series; labels are escaped. */
    void visit(String name, String deviceId, String reason, LongAdder value);
  }

  public void forEachSeries(SeriesVisitor visitor) {
    values.forEach((k, v) -> visitor.visit(k.name(),
        k.deviceId() == null ? null : Untrusted.label(k.deviceId()),
        k.reason() == null ? null : Untrusted.label(k.reason()), v));
  }

  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    values.forEach((k, v) -> out.put(k.render(), v.sum()));
    return out;
  }
}
