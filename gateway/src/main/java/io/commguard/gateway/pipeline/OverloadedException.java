package io.commguard.gateway.pipeline;

/** The bounded queue in front of the outbox is full; the event was not accepted. */
public class OverloadedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OverloadedException(String message) {
    super(message, null, false, false);
  }
}
