package io.commguard.gateway.metrics;

/** Takes durations for a histogram ({@link PrometheusMetrics#histogram}); thread-safe, never blocks. */
@FunctionalInterface
public interface LatencyRecorder {
  /** Records nothing: for stages built without metrics (tests, tools). */
  LatencyRecorder NONE = nanos -> {};

  void recordNanos(long nanos);
}
