package io.commguard.gateway.source;

import io.commguard.gateway.registry.DeviceChanges;

/** A running source. */
public interface Source extends AutoCloseable {
  /**
   * Applies a committed registry change to this source's devices (only theirs are in {@code
   * changes}): new ones are accepted or polled, removed or disabled ones disconnected and no longer
   * polled, changed ones reconnected or re-addressed. Runs on the registry thread; must hand
   * slow work to the source's own threads.
   */
  void apply(DeviceChanges changes);

  /** Stops intake; nothing acknowledged afterwards. */
  @Override
  void close();
}
