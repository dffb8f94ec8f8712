package io.commguard.gateway.rule;

import java.time.Instant;
import java.util.List;

/**
 * Putting devices or sites into maintenance. Thread-safe: callers (the admin API on a Vert.x event
 * loop) only queue the command; the engine applies it on its next tick (about a second) and reports
 * it through the normal alert path as a MAINTENANCE alert.
 */
public interface MaintenanceControl {

  /** A window as last applied by the engine. */
  record Window(String scope, Instant since, Instant until, long inhibitedEvents) {}

  /**
   * Queues entering (or extending) maintenance for {@code scope} until {@code until}.
   *
   * @throws IllegalArgumentException when the scope names a device that is not configured, or
   *     {@code until} is not in the future or further ahead than the configured maximum window
   * @throws IllegalStateException when too many commands already wait for the engine
   */
  void enterMaintenance(MaintenanceScope scope, Instant until);

  /**
   * Queues leaving maintenance for {@code scope}; no effect when it is not in maintenance.
   *
   * @throws IllegalStateException when too many commands already wait for the engine
   */
  void leaveMaintenance(MaintenanceScope scope);

  /** The windows open at the engine's last call. */
  List<Window> maintenanceWindows();
}
