package io.commguard.gateway.source.modbus.map;

import java.time.Duration;
import java.util.List;

/**
 * Points polled together at one interval, e.g. alarm-critical status words every second and slow
 * configuration values every minute.
 */
public record PointGroup(String name, Duration pollInterval, List<RegisterPoint> points) {
  /** Default interval for a group that does not say: alarm-critical, domain brief section 3. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  public PointGroup {
    points = List.copyOf(points);
  }
}
