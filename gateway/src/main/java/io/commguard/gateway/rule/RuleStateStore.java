package io.commguard.gateway.rule;

import io.commguard.gateway.pipeline.StateChanges;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The state the engine keeps across restarts (open episodes, threshold levels, deadband baselines,
 * maintenance windows, household activity), as small JSON values under string keys. The engine
 * records its changes here; the pipeline {@linkplain #drain drains} them after each call into the
 * decision that made them, which the outbox commits in one transaction with the decision's alerts.
 * Not thread-safe: used under the pipeline's lock.
 *
 * <p>Overload policy: changes are drained after every engine call, so at most one call's changes
 * are held (coalesced per key, latest wins).
 */
public class RuleStateStore {
  /** A store that keeps nothing, for engines whose state need not survive (tests, tools). */
  public static final RuleStateStore IN_MEMORY = new RuleStateStore(Map.of()) {
    @Override
    void put(String key, String json) {}

    @Override
    void remove(String key) {}

    @Override
    void keepInhibited(String deviceId, String json) {}

    @Override
    CompletableFuture<Void> whenDurable() {
      return CompletableFuture.completedFuture(null);
    }
  };

  private final Map<String, String> loaded;
  private Map<String, String> values = new LinkedHashMap<>();
  private List<StateChanges.KeptEvent> kept = new ArrayList<>();
  private List<CompletableFuture<Void>> durable = new ArrayList<>();

  /** @param loaded the state as committed before the restart: key to JSON value */
  public RuleStateStore(Map<String, String> loaded) {
    this.loaded = Map.copyOf(loaded);
  }

  /** The state as loaded at start. */
  Map<String, String> loaded() {
    return loaded;
  }

  void put(String key, String json) {
    values.put(key, json);
  }

  void remove(String key) {
    values.put(key, null);
  }

  /** Keeps an event received under maintenance, locally only. */
  void keepInhibited(String deviceId, String json) {
    kept.add(new StateChanges.KeptEvent(deviceId, json));
  }

  /** Completed when the changes made so far are committed (failed when their commit fails). */
  CompletableFuture<Void> whenDurable() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    durable.add(f);
    return f;
  }

  /** The changes since the last call, in the order made. */
  StateChanges drain() {
    if (values.isEmpty() && kept.isEmpty() && durable.isEmpty()) {
      return StateChanges.NONE;
    }
    StateChanges changes = new StateChanges(values, kept, durable);
    values = new LinkedHashMap<>();
    kept = new ArrayList<>();
    durable = new ArrayList<>();
    return changes;
  }
}
