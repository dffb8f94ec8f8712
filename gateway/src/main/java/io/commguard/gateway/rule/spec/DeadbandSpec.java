package io.commguard.gateway.rule.spec;

import java.time.Duration;

/**
 * Deadband for one telemetry measurement ({@code *} for every measurement without its own entry).
 * A reading is forwarded when it differs from the last forwarded one by more than the band, the
 * band being the larger of {@code absolute} and {@code percent} % of the last forwarded value.
 * When nothing was forwarded for {@code maxSilence}, a heartbeat summary of the readings seen
 * meanwhile (last, min, max, mean, count) is forwarded.
 */
public record DeadbandSpec(String measurement, Double absolute, Double percent, Duration maxSilence) {
  public static final String ANY_MEASUREMENT = "*";

  public DeadbandSpec overriddenBy(DeadbandSpec over) {
    return new DeadbandSpec(measurement, Merge.pick(over.absolute, absolute),
        Merge.pick(over.percent, percent), Merge.pick(over.maxSilence, maxSilence));
  }

  /** The band around {@code last}. */
  public double band(double last) {
    double abs = absolute == null ? 0 : absolute;
    double pct = percent == null ? 0 : Math.abs(last) * percent / 100.0;
    return Math.max(abs, pct);
  }
}
