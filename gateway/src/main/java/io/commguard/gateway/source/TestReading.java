package io.commguard.gateway.source;

import java.util.concurrent.CompletionStage;

/**
 * What a running {@link Source} may offer for commissioning: read one of its devices once, on
 * demand, and show what came off the wire beside what the device's profile makes of it. Polled
 * protocols offer it; a source whose devices send on their own (MQTT, HTTP push) has nothing to ask
 * and does not implement it.
 */
public interface TestReading {
  /**
   * Reads the device once, on the source's own schedule: the running polls keep theirs and are
   * delayed by at most one request's timeout. Completes on a source thread; never blocks the caller.
   *
   * @return fails with {@link NotAvailableException} when the device is not among the source's
   *     running devices (disabled, or not yet applied)
   */
  CompletionStage<TestRead> testRead(String deviceId);

  /** The device cannot be read now; the message says why, for the person asking. */
  final class NotAvailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotAvailableException(String message) {
      super(message, null, false, false);
    }
  }
}
