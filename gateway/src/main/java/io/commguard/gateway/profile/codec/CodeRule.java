package io.commguard.gateway.profile.codec;

import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;

/**
 * What one native code means canonically.
 *
 * @param phase fixed phase for this code, or null to take it from the profile's {@code phase} field
 * @param description fixed description, or null to use the profile's description template
 */
public record CodeRule(CanonicalType type, EventKind kind, int level, Phase phase, String description) {

  /** The kind a type has unless a profile says otherwise. */
  public static EventKind defaultKind(CanonicalType type) {
    return switch (type) {
      case READING -> EventKind.TELEMETRY;
      case ACCESS_GRANTED, ACCESS_DENIED -> EventKind.ACCESS;
      case DEVICE_FAULT, DEVICE_OFFLINE, VIDEO_LOSS, MAINTENANCE, WARM_UP, GATEWAY_SUMMARY, GATEWAY_FAULT -> EventKind.STATUS;
      default -> EventKind.ALARM;
    };
  }
}
