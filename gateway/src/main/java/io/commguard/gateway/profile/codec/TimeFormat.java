package io.commguard.gateway.profile.codec;

/** How a payload states the device time. */
public enum TimeFormat {
  /** ISO-8601 with an offset ({@code 2026-11-22T10:15:30+08:00}); without one, {@code zone} applies. */
  ISO8601,
  /** Milliseconds since the epoch, as a number or digits. */
  EPOCH_MILLIS,
  /** Seconds since the epoch, as a number or digits (fractions allowed). */
  EPOCH_SECONDS,
  /** A {@link java.time.format.DateTimeFormatter} pattern given in {@code pattern}; {@code zone} applies when it has no offset. */
  PATTERN
}
