package io.commguard.gateway.rule;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.rule.spec.RateLimitSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The alerts produced by one call into the engine, in order, passed through the per-device rate
 * limiter. Level-1 alerts, CLEARED alerts and the gateway's own notices are never suppressed, so a
 * flood can neither hide a top-severity alarm nor leave an episode open.
 */
final class Output {
  private final List<AlertDraft> alerts = new ArrayList<>();
  private final RateLimiter limiter;
  private final Instant now;

  Output(RateLimiter limiter, Instant now) {
    this.limiter = limiter;
    this.now = now;
  }

  Instant now() {
    return now;
  }

  /** Adds {@code alert} if the device's bucket allows it; returns false when it was suppressed. */
  boolean offer(AlertDraft alert, RateLimitSpec spec) {
    boolean mandatory = alert.level() == 1 || alert.state() == AlertState.CLEARED;
    if (!limiter.allow(alert.device(), spec, alert.type(), now, mandatory)) {
      return false;
    }
    alerts.add(alert);
    return true;
  }

  /** Adds a notice of the gateway itself (maintenance, summaries, offline), never rate limited. */
  void notice(AlertDraft alert) {
    alerts.add(alert);
  }

  List<AlertDraft> alerts() {
    return alerts.isEmpty() ? List.of() : List.copyOf(alerts);
  }
}
