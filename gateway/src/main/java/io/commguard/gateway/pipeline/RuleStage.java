package io.commguard.gateway.pipeline;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.DeviceEvent;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns device events into alerts. Implementations are not thread-safe: the pipeline calls them
 * from one thread at a time.
 */
public interface RuleStage {
  /** Alerts this event produces, in order; empty when it is filtered out. */
  List<AlertDraft> evaluate(DeviceEvent event);

  /** Alerts due to the passage of time alone (auto-clear, offline detection); called about once a second. */
  default List<AlertDraft> tick(Instant now) {
    return List.of();
  }

  /**
   * Completes once the rule state changed by the calls so far is durable. The pipeline waits for
   * it before appending the alerts, so that a crash never leaves an alert sent for an episode the
   * rules have forgotten (see docs/rules.md, "Persistence").
   */
  default CompletionStage<Void> flush() {
    return CompletableFuture.completedFuture(null);
  }

  /** The outbox has durably committed {@code alerts}. Called on the outbox's thread: must be thread-safe. */
  default void committed(List<AlertDraft> alerts) {}
}
