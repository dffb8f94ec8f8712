package io.commguard.gateway;

/**
 * The gateway will not start for a reason the operator can fix (the message says how); shown as
 * one sentence, never as a stack trace.
 */
public final class StartRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StartRefusedException(String message) {
    super(message);
  }
}
