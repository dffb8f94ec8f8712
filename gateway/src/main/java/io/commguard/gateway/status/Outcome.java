package io.commguard.gateway.status;

/** What became of one decoded event, as the live feed shows it. */
public enum Outcome {
  /** The rules made at least one alert of it (queued for the uplink). */
  FORWARDED,
  /** Delayed by overload; the source offers it again. */
  HELD,
  /** The rules absorbed it (a repeat, below a threshold, in maintenance, ...). */
  FILTERED;

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
