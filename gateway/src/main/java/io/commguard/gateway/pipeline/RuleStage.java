package io.commguard.gateway.pipeline;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.DeviceEvent;
import java.time.Instant;
import java.util.List;

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
   * The rule-state changes made since the last call. The pipeline commits them in the same
   * transaction as the alerts of the same calls (see docs/rules.md, "Persistence").
   */
  default StateChanges drainChanges() {
    return StateChanges.NONE;
  }
}
