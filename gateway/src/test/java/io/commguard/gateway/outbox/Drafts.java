package io.commguard.gateway.outbox;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Site;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Alert drafts for outbox and uplink tests. */
public final class Drafts {
  private Drafts() {}

  public static final Site SITE = new Site("310115001", "G-07", "B3", "2", "5", "502");

  public static AlertDraft alarm(String deviceId, CanonicalType type, int level) {
    return new AlertDraft(UUID.randomUUID().toString(), device(deviceId), EventKind.ALARM, type, level,
        AlertState.RAISED, "native-" + type, Instant.parse("2026-11-22T10:00:00Z"), Instant.now(),
        List.of(new Measurement("concentration", 31.5, "%LEL")), List.of(), Map.of("channel", "1"),
        type + " at " + deviceId);
  }

  public static AlertDraft telemetry(String deviceId) {
    return new AlertDraft(UUID.randomUUID().toString(), device(deviceId), EventKind.TELEMETRY, CanonicalType.READING, 4,
        AlertState.RAISED, "reading", Instant.now(), Instant.now(),
        List.of(new Measurement("concentration", 3.0, "%LEL")), List.of(), Map.of(), "");
  }

  public static DeviceRef device(String deviceId) {
    return new DeviceRef(deviceId, "generic-gas", "GD-100", SITE, "B3 stairwell 5F");
  }
}
