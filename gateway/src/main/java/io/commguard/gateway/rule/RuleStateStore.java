package io.commguard.gateway.rule;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the engine keeps the state that must survive a restart (open episodes, threshold levels,
 * deadband baselines, maintenance windows, household activity), as small JSON values under string
 * keys. {@link #put} and {@link #remove} never block: they are called from the engine, which runs
 * on source threads and event loops.
 */
public interface RuleStateStore extends AutoCloseable {

  /** The state as loaded at start: key to JSON value. */
  Map<String, String> loaded();

  void put(String key, String json);

  void remove(String key);

  /**
   * Puts a value that {@link #removeTombstone} may remove later, from any thread, unless {@link
   * #put} or {@link #remove} has written the same key in between.
   */
  void putTombstone(String key, String json);

  /** Removes the tombstone under {@code key} if it is still the key's latest value; thread-safe. */
  void removeTombstone(String key);

  /** Keeps an event received under maintenance, locally only. */
  void keepInhibited(String deviceId, String json);

  /** Completes once every put/remove made before this call is durably committed. */
  CompletionStage<Void> flush();

  @Override
  void close();

  /** A store that keeps nothing, for engines whose state need not survive (tests, tools). */
  RuleStateStore IN_MEMORY = new RuleStateStore() {
    @Override
    public Map<String, String> loaded() {
      return Map.of();
    }

    @Override
    public void put(String key, String json) {}

    @Override
    public void remove(String key) {}

    @Override
    public void putTombstone(String key, String json) {}

    @Override
    public void removeTombstone(String key) {}

    @Override
    public void keepInhibited(String deviceId, String json) {}

    @Override
    public CompletionStage<Void> flush() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {}
  };
}
