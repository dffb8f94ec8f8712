package io.commguard.gateway.pipeline;

import io.commguard.gateway.model.AlertDraft;
import java.util.List;

/**
 * Everything one rule decision changes, committed as one unit: the alerts it produced, the rule
 * state that explains them, and the receipt of the publish that caused it (or null). After any
 * crash either all of it is on disk or none of it is.
 */
public record Decision(List<AlertDraft> alerts, StateChanges state, Receipt receipt) {
  public Decision {
    alerts = List.copyOf(alerts);
  }

  /** Alerts alone (the gateway's own alerts, tests). */
  public static Decision of(List<AlertDraft> alerts) {
    return new Decision(alerts, StateChanges.NONE, null);
  }

  public boolean isEmpty() {
    return alerts.isEmpty() && state.isEmpty() && receipt == null;
  }
}
