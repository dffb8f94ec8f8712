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
 * @param test true for an alert of a device being commissioned: sent flagged as a test, never paged
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
    String description,
    boolean test) {

  /** A real (not test) alert. */
  public AlertDraft(String alertId, DeviceRef device, EventKind kind, CanonicalType type, int level, AlertState state,
      String nativeCode, Instant occurredAt, Instant detectedAt, List<Measurement> measurements, List<Evidence> evidence,
      Map<String, String> attributes, String description) {
    this(alertId, device, kind, type, level, state, nativeCode, occurredAt, detectedAt, measurements, evidence, attributes,
        description, false);
  }

  /** This alert flagged as a test. */
  public AlertDraft asTest() {
    return new AlertDraft(alertId, device, kind, type, level, state, nativeCode, occurredAt, detectedAt, measurements,
        evidence, attributes, description, true);
  }

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
