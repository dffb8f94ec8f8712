package io.commguard.gateway.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An alert decided by the rules, before the outbox gives it its per-gateway sequence number.
 *
 * @param alertId stable id of the alarm episode: the same for RAISED, every UPDATED and CLEARED
 * @param occurredAt when the condition began (device time)
 * @param detectedAt when the gateway decided this alert
 */
public record AlertDraft(
    String alertId,
    DeviceRef device,
    EventKind kind,
    CanonicalType type,
    int level,
    AlertState state,
    String nativeCode,
    Instant occurredAt,
    Instant detectedAt,
    List<Measurement> measurements,
    List<Evidence> evidence,
    Map<String, String> attributes,
    String description) {

  public AlertDraft {
    Objects.requireNonNull(alertId, "alertId");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(detectedAt, "detectedAt");
    if (level < 1 || level > 4) {
      throw new IllegalArgumentException("level must be 1..4, was " + level);
    }
    nativeCode = nativeCode == null ? "" : nativeCode;
    measurements = List.copyOf(measurements == null ? List.of() : measurements);
    evidence = List.copyOf(evidence == null ? List.of() : evidence);
    attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
    description = description == null ? "" : description;
  }

  /** True for telemetry and gateway summaries, which the outbox may evict before alarms. */
  public boolean evictable() {
    return kind == EventKind.TELEMETRY || type == CanonicalType.GATEWAY_SUMMARY;
  }
}
