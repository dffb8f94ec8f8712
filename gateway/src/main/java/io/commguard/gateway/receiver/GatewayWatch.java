package io.commguard.gateway.receiver;

import io.commguard.alert.v1.GatewayStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateways the receiver has heard a {@code GatewayStatus} from, and which of them went silent:
 * no status for {@code silentAfter} of the intervals the gateway announced in its last status. A
 * gateway is reported once when it goes silent and once when it is heard again.
 *
 * <p>Thread-safe (Paho's callback thread records, the watch thread checks). At most {@value
 * #MAX_GATEWAYS} gateways are tracked; statuses of further ones are counted but not tracked.
 */
final class GatewayWatch {
  static final int MAX_GATEWAYS = 10_000;

  /** What the receiver shows about gateways. */
  interface Listener {
    void status(GatewayStatus status);

    void silent(String gatewayId, long silentForMs, long intervalMs);

    void back(String gatewayId, long silentForMs);
  }

  /** One gateway as last heard. */
  record Seen(GatewayStatus last, long atMs, boolean silent) {}

  private final int silentAfter;
  private final Listener listener;
  private final Map<String, Seen> gateways = new LinkedHashMap<>();

  GatewayWatch(int silentAfter, Listener listener) {
    this.silentAfter = silentAfter;
    this.listener = listener;
  }

  /** A status arrived; false when it was not tracked (too many gateways). */
  boolean heard(GatewayStatus status, long nowMs) {
    Seen before;
    synchronized (this) {
      before = gateways.get(status.getGatewayId());
      if (before == null && gateways.size() >= MAX_GATEWAYS) {
        return false;
      }
      gateways.put(status.getGatewayId(), new Seen(status, nowMs, false));
    }
    if (before != null && before.silent()) {
      listener.back(status.getGatewayId(), nowMs - before.atMs());
    }
    listener.status(status);
    return true;
  }

  /** Marks and reports the gateways that fell silent since the last check. */
  void check(long nowMs) {
    List<Seen> fell = new java.util.ArrayList<>();
    synchronized (this) {
      for (Map.Entry<String, Seen> e : gateways.entrySet()) {
        Seen s = e.getValue();
        if (!s.silent() && nowMs - s.atMs() > silentAfter * interval(s)) {
          e.setValue(new Seen(s.last(), s.atMs(), true));
          fell.add(s);
        }
      }
    }
    fell.forEach(s -> listener.silent(s.last().getGatewayId(), nowMs - s.atMs(), interval(s)));
  }

  /** The gateways silent now, by id. */
  synchronized List<String> silent() {
    return gateways.entrySet().stream().filter(e -> e.getValue().silent()).map(Map.Entry::getKey).toList();
  }

  /** The last status of each gateway heard. */
  synchronized Map<String, Seen> seen() {
    return Map.copyOf(gateways);
  }

  /** A status without an interval (not expected from a gateway) counts as the default 30 s. */
  private static long interval(Seen s) {
    return s.last().getIntervalMs() > 0 ? s.last().getIntervalMs() : 30_000;
  }
}
