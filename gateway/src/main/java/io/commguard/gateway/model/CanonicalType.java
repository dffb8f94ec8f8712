package io.commguard.gateway.model;

/**
 * Canonical event types (domain brief section 2). The numbers are the protobuf enum numbers of
 * {@code commguard.alert.v1.AlertType} and never change.
 */
public enum CanonicalType {
  UNKNOWN(0, 4),
  FIRE_SMOKE(1, 1),
  GAS_LEAK(2, 1),
  HIGH_ALTITUDE_THROW(3, 2),
  EBIKE_IN_ELEVATOR(4, 2),
  FIRE_LANE_BLOCKED(5, 3),
  PERIMETER_INTRUSION(6, 2),
  DOOR_FORCED(7, 2),
  DOOR_HELD_OPEN(8, 3),
  DURESS(9, 1),
  TAMPER(10, 3),
  TAILGATING(11, 3),
  GATE_FORCED(12, 3),
  FALL(13, 2),
  GATHERING(14, 3),
  LOITERING(15, 4),
  ELDERLY_NO_ACTIVITY(16, 2),
  DEVICE_FAULT(17, 4),
  DEVICE_OFFLINE(18, 4),
  /** A plain reading (gas concentration, battery); telemetry, not an alarm. */
  READING(19, 4),
  ACCESS_GRANTED(20, 4),
  ACCESS_DENIED(21, 4),
  /** A summary emitted by the gateway itself: suppressed or evicted events, maintenance windows. */
  GATEWAY_SUMMARY(22, 4),
  /** The gateway's own faults: storage full, database moved aside, uplink failing. */
  GATEWAY_FAULT(23, 2),
  MOTION(24, 4),
  VIDEO_LOSS(25, 4),
  MAINTENANCE(26, 4),
  /** A detector warming up (not yet measuring): a device state, told apart from maintenance. */
  WARM_UP(27, 4);

  private final int protoNumber;
  private final int defaultLevel;

  CanonicalType(int protoNumber, int defaultLevel) {
    this.protoNumber = protoNumber;
    this.defaultLevel = defaultLevel;
  }

  public int protoNumber() {
    return protoNumber;
  }

  /** Level 1 (most severe) to 4 used when a profile does not say otherwise. */
  public int defaultLevel() {
    return defaultLevel;
  }
}
