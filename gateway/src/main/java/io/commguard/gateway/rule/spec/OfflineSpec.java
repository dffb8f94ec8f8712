package io.commguard.gateway.rule.spec;

import java.time.Duration;

/**
 * Offline detection: DEVICE_OFFLINE when nothing arrives from the device for {@code
 * missedIntervals} x {@code expectedInterval}. Disabled while {@code expectedInterval} is null.
 */
public record OfflineSpec(Duration expectedInterval, Integer missedIntervals) {
  public OfflineSpec overriddenBy(OfflineSpec over) {
    return new OfflineSpec(Merge.pick(over.expectedInterval, expectedInterval),
        Merge.pick(over.missedIntervals, missedIntervals));
  }

  /**
   * Silence after which the device is offline, or null when detection is off. Asked for every device
   * at every rule tick: {@link Duration#multipliedBy} goes through BigDecimal, this does not.
   */
  public Duration silenceLimit() {
    if (expectedInterval == null) {
      return null;
    }
    long times = missedIntervals == null ? 3 : missedIntervals;
    return Duration.ofSeconds(Math.multiplyExact(expectedInterval.getSeconds(), times), expectedInterval.getNano() * times);
  }
}
