package io.commguard.gateway.rule.spec;

import java.time.Duration;

/**
 * Token bucket per device on the alerts it produces: {@code eventsPerSecond} refill, {@code burst}
 * capacity. What is suppressed is counted and reported in one GATEWAY_SUMMARY alert per device and
 * {@code summaryInterval}.
 */
public record RateLimitSpec(Double eventsPerSecond, Integer burst, Duration summaryInterval) {
  public RateLimitSpec overriddenBy(RateLimitSpec over) {
    return new RateLimitSpec(Merge.pick(over.eventsPerSecond, eventsPerSecond),
        Merge.pick(over.burst, burst), Merge.pick(over.summaryInterval, summaryInterval));
  }
}
