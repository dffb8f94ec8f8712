package io.commguard.gateway.rule.spec;

import java.time.Duration;

/** What happens to ACCESS events (card swipes, face matches). */
public record AccessSpec(Forward forward, Duration summaryInterval) {

  public enum Forward {
    /** Every access event becomes an alert. */
    EACH,
    /** One alert per device, type and interval carries the count. */
    SUMMARY,
    /** Counted locally only. */
    NONE
  }

  public AccessSpec overriddenBy(AccessSpec over) {
    return new AccessSpec(Merge.pick(over.forward, forward), Merge.pick(over.summaryInterval, summaryInterval));
  }
}
