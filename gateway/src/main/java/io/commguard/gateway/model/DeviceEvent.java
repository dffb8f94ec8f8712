package io.commguard.gateway.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One normalised event from a device: the canonical model every source produces and the rules
 * consume.
 *
 * @param device the configured device that produced it
 * @param kind alarm, telemetry, status or access
 * @param type canonical type; {@link CanonicalType#UNKNOWN} when the native code is not mapped
 * @param level 1 (most severe) to 4
 * @param phase active/inactive/pulse as the device reports it
 * @param nativeCode the vendor's own code, verbatim (e.g. {@code fielddetection}, {@code 5/0x1b})
 * @param deviceTime time stamped by the device, or the receive time when the device gives none
 * @param receivedAt gateway receive time
 * @param episodeKey vendor hint that ties repeats of one condition together (channel, door,
 *     region); empty when the device gives none
 * @param measurements readings with units
 * @param evidence references to images or clips
 * @param attributes free attributes already cleaned of personal data
 * @param description short human text
 */
public record DeviceEvent(
    DeviceRef device,
    EventKind kind,
    CanonicalType type,
    int level,
    Phase phase,
    String nativeCode,
    Instant deviceTime,
    Instant receivedAt,
    String episodeKey,
    List<Measurement> measurements,
    List<Evidence> evidence,
    Map<String, String> attributes,
    String description) {

  public DeviceEvent {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (level < 1 || level > 4) {
      throw new IllegalArgumentException("level must be 1..4, was " + level);
    }
    nativeCode = nativeCode == null ? "" : nativeCode;
    deviceTime = deviceTime == null ? receivedAt : deviceTime;
    episodeKey = episodeKey == null ? "" : episodeKey;
    measurements = List.copyOf(measurements == null ? List.of() : measurements);
    evidence = List.copyOf(evidence == null ? List.of() : evidence);
    attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
    description = description == null ? "" : description;
  }

  public String deviceId() {
    return device.deviceId();
  }

  /** This event with {@code more} evidence after its own. */
  public DeviceEvent withEvidence(List<Evidence> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<Evidence> all = new java.util.ArrayList<>(evidence);
    all.addAll(more);
    return new DeviceEvent(device, kind, type, level, phase, nativeCode, deviceTime, receivedAt, episodeKey,
        measurements, all, attributes, description);
  }
}
