package io.commguard.gateway.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The rule-state changes of one decision, committed in the same transaction as its alerts.
 *
 * @param values new JSON value per state key, {@code null} for a removed key, in the order made
 * @param kept events received under maintenance, kept locally only
 * @param durable completed when these changes are committed (or failed when the commit fails), for
 *     callers waiting on a change they asked for (an operator's maintenance window)
 */
public record StateChanges(Map<String, String> values, List<KeptEvent> kept, List<CompletableFuture<Void>> durable) {
  public static final StateChanges NONE = new StateChanges(Map.of(), List.of());
  /**
   * A state key present only in state imported from a release that committed rule state and alerts
   * separately: the rules then re-announce its open episodes and re-send its pending CLEAREDs once.
   */
  public static final String IMPORTED_MARKER = "import/separate-commits";

  /** One event kept locally under maintenance (JSON without personal data). */
  public record KeptEvent(String deviceId, String json) {}

  public StateChanges {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    kept = List.copyOf(kept);
    durable = List.copyOf(durable);
  }

  public StateChanges(Map<String, String> values, List<KeptEvent> kept) {
    this(values, kept, List.of());
  }

  /** True when nothing needs writing (waiting callers may still be told). */
  public boolean isEmpty() {
    return values.isEmpty() && kept.isEmpty();
  }

  /** Settles {@link #durable} with {@code commit}'s outcome. */
  public void settle(CompletionStage<?> commit) {
    for (CompletableFuture<Void> f : durable) {
      commit.whenComplete((v, error) -> {
        if (error == null) {
          f.complete(null);
        } else {
          f.completeExceptionally(error);
        }
      });
    }
  }
}
