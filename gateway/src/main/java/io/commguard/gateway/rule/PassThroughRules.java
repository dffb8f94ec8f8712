package io.commguard.gateway.rule;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.pipeline.RuleStage;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The minimal lifecycle: every alarm and status event becomes an alert; an active condition keeps
 * one alert id per (device, type, episode key) until the device reports it inactive. Telemetry and
 * access events pass as single CLEARED-free RAISED alerts of their kind. Open episodes live in
 * memory only; the rules engine replaces this stage with persisted state.
 */
public final class PassThroughRules implements RuleStage {
  private final Clock clock;
  private final Map<String, Episode> open = new HashMap<>();

  private record Episode(String alertId, java.time.Instant since) {}

  public PassThroughRules(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<AlertDraft> evaluate(DeviceEvent e) {
    if (e.kind() == EventKind.TELEMETRY || e.kind() == EventKind.ACCESS || e.phase() == Phase.PULSE) {
      return List.of(draft(e, UUID.randomUUID().toString(), AlertState.RAISED, e.deviceTime()));
    }
    String key = e.deviceId() + '|' + e.type() + '|' + e.episodeKey();
    Episode episode = open.get(key);
    if (e.phase() == Phase.INACTIVE) {
      if (episode == null) {
        return List.of();
      }
      open.remove(key);
      return List.of(draft(e, episode.alertId(), AlertState.CLEARED, episode.since()));
    }
    if (episode == null) {
      episode = new Episode(UUID.randomUUID().toString(), e.deviceTime());
      open.put(key, episode);
      return List.of(draft(e, episode.alertId(), AlertState.RAISED, episode.since()));
    }
    return List.of(draft(e, episode.alertId(), AlertState.UPDATED, episode.since()));
  }

  private AlertDraft draft(DeviceEvent e, String alertId, AlertState state, java.time.Instant since) {
    return new AlertDraft(alertId, e.device(), e.kind(), e.type(), e.level(), state, e.nativeCode(),
        since, clock.instant(), e.measurements(), e.evidence(), e.attributes(), e.description());
  }
}
