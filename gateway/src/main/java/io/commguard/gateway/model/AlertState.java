package io.commguard.gateway.model;

/** Lifecycle state of an alert episode; numbers match {@code commguard.alert.v1.AlertState}. */
public enum AlertState {
  RAISED(1),
  UPDATED(2),
  CLEARED(3);

  private final int protoNumber;

  AlertState(int protoNumber) {
    this.protoNumber = protoNumber;
  }

  public int protoNumber() {
    return protoNumber;
  }
}
