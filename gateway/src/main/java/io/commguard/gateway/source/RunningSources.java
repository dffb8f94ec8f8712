package io.commguard.gateway.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's running sources by name, for the admin API's commissioning tools: which of them
 * offer a {@link TestReading} or a {@link LinkScanning}. Filled at start; read from any thread.
 */
public final class RunningSources {
  private final Map<String, Source> byName = new ConcurrentHashMap<>();
  private final List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();

  public void add(String name, Source source) {
    byName.put(name, source);
    order.add(name);
  }

  /** The names of the running sources, in start order. */
  public List<String> names() {
    return List.copyOf(order);
  }

  /** The test read of the source named {@code name}, if it offers one. */
  public Optional<TestReading> testReading(String name) {
    return byName.get(name) instanceof TestReading t ? Optional.of(t) : Optional.empty();
  }

  /** The link scan of the source named {@code name}, if it offers one. */
  public Optional<LinkScanning> linkScanning(String name) {
    return byName.get(name) instanceof LinkScanning s ? Optional.of(s) : Optional.empty();
  }

  /** Every source that can scan links, with its name. */
  public List<Map.Entry<String, LinkScanning>> scanners() {
    List<Map.Entry<String, LinkScanning>> out = new ArrayList<>();
    for (String name : order) {
      linkScanning(name).ifPresent(s -> out.add(Map.entry(name, s)));
    }
    return out;
  }
}
