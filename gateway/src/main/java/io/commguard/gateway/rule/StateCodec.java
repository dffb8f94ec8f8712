package io.commguard.gateway.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Site;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** JSON forms of the persisted rule state; times as epoch milliseconds. */
final class StateCodec {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private StateCodec() {}

  /**
   * An open episode as stored. {@code clearedAtMs} and {@code clearedWith} are only read: files of
   * earlier releases kept cleared episodes until their CLEARED was in the outbox.
   */
  record EpisodeState(String deviceId, String profileId, String model, Site site, String location,
      EventKind kind, CanonicalType type, String episodeKey, String alertId, int level, int desiredLevel,
      long occurredAtMs, long lastActivityMs, long lastUpdateMs, boolean pulse, boolean managed,
      String nativeCode, String description, List<Measurement> measurements, Map<String, String> attributes,
      List<String> evidenceSeen, long clearedAtMs, Map<String, String> clearedWith) {}

  /** A maintenance window as stored. */
  record MaintenanceState(String scope, String alertId, long sinceMs, long untilMs, long inhibited) {}

  /** A deadband baseline: the last forwarded value of one measurement. */
  record DeadbandState(double value, long forwardedAtMs) {}

  /** Last activity of a watched household. */
  record HouseholdState(long lastActivityMs) {}

  static String episode(Episode ep) {
    DeviceRef d = ep.device;
    return write(new EpisodeState(d.deviceId(), d.profileId(), d.model(), d.site(), d.location(), ep.kind,
        ep.key.type(), ep.key.episodeKey(), ep.alertId, ep.level, ep.desiredLevel, ms(ep.occurredAt),
        ms(ep.lastActivity), ms(ep.lastUpdate), ep.pulse, ep.managed, ep.nativeCode, ep.description,
        ep.measurements, ep.attributes, List.copyOf(ep.evidenceSeen), 0, Map.of()));
  }

  static Episode episode(String json) {
    EpisodeState s = read(json, EpisodeState.class);
    Episode ep = new Episode(new EpisodeKey(s.deviceId(), s.type(), s.episodeKey()));
    ep.device = new DeviceRef(s.deviceId(), s.profileId(), s.model(), s.site(), s.location());
    ep.kind = s.kind();
    ep.alertId = s.alertId();
    ep.level = s.level();
    ep.desiredLevel = s.desiredLevel();
    ep.occurredAt = Instant.ofEpochMilli(s.occurredAtMs());
    ep.activeSince = ep.occurredAt;
    ep.activeRun = 1;
    ep.lastActivity = Instant.ofEpochMilli(s.lastActivityMs());
    ep.lastUpdate = Instant.ofEpochMilli(s.lastUpdateMs());
    ep.pulse = s.pulse();
    ep.managed = s.managed();
    ep.nativeCode = s.nativeCode();
    ep.description = s.description();
    ep.measurements = s.measurements() == null ? List.of() : List.copyOf(s.measurements());
    ep.attributes = s.attributes() == null ? Map.of() : Map.copyOf(s.attributes());
    if (s.evidenceSeen() != null) {
      ep.evidenceSeen.addAll(s.evidenceSeen());
    }
    if (s.clearedAtMs() > 0) {
      ep.clearedAt = Instant.ofEpochMilli(s.clearedAtMs());
      ep.clearedWith = s.clearedWith() == null ? Map.of() : Map.copyOf(s.clearedWith());
    }
    return ep;
  }

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode rule state " + value.getClass().getSimpleName(), e);
    }
  }

  static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Unreadable rule state " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  private static long ms(Instant t) {
    return t == null ? 0 : t.toEpochMilli();
  }
}
