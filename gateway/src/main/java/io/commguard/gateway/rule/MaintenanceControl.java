package io.commguard.gateway.rule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Putting devices or sites into maintenance. Thread-safe: callers (the admin API on a Vert.x event
 * loop) only queue the command; the engine applies it at its next call (within about a second),
 * reports it through the normal alert path as a MAINTENANCE alert, and completes the returned stage
 * once the window's state and its notice are committed, so {@link #maintenanceWindows} lists the
 * change from then on. The stage completes on the committing thread; it fails when the change
 * could not be applied or committed.
 */
public interface MaintenanceControl {

  /** A window as last applied by the engine. */
  record Window(String scope, Instant since, Instant until, long inhibitedEvents) {}

  /**
   * Queues entering (or extending) maintenance for {@code scope} until {@code until}.
   *
   * @throws IllegalArgumentException when the scope names a device that is not configured, or
   *     {@code until} is not in the future or further ahead than the configured maximum window
   * @return the window as applied (with its start, and events held so far when it was extended)
   * @throws IllegalStateException when too many commands already wait for the engine
   */
  CompletionStage<Window> enterMaintenance(MaintenanceScope scope, Instant until);

  /**
   * Queues leaving maintenance for {@code scope}; no effect when it is not in maintenance.
   *
   * @return the window as it was when it ended, or empty when none was open for {@code scope}
   * @throws IllegalStateException when too many commands already wait for the engine
   */
  CompletionStage<Optional<Window>> leaveMaintenance(MaintenanceScope scope);

  /** The windows open at the engine's last call. */
  List<Window> maintenanceWindows();
}
