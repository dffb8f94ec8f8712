package io.commguard.gateway.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Named counters with an optional device and reason, e.g. {@code rejected{device=cam-1,reason=malformed_json}}.
 * Counter names are snake_case; keys are built once per call so callers stay allocation-light.
 */
public final class Counters {
  private final ConcurrentHashMap<String, LongAdder> values = new ConcurrentHashMap<>();

  public void increment(String name) {
    add(name, 1);
  }

  public void increment(String name, String deviceId, String reason) {
    add(key(name, deviceId, reason), 1);
  }

  public void add(String key, long delta) {
    values.computeIfAbsent(key, k -> new LongAdder()).add(delta);
  }

  public long get(String name) {
    LongAdder adder = values.get(name);
    return adder == null ? 0 : adder.sum();
  }

  public long get(String name, String deviceId, String reason) {
    return get(key(name, deviceId, reason));
  }

  /** Sum over every device and reason of one counter name. */
  public long total(String name) {
    long sum = 0;
    for (Map.Entry<String, LongAdder> e : values.entrySet()) {
      String k = e.getKey();
      if (k.equals(name) || k.startsWith(name + "{")) {
        sum += e.getValue().sum();
      }
    }
    return sum;
  }

  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    values.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public static String key(String name, String deviceId, String reason) {
    return name + "{device=" + deviceId + ",reason=" + reason + "}";
  }
}
