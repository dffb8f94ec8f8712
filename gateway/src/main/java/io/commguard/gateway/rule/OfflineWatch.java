package io.commguard.gateway.rule;

import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.rule.spec.RulesSection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Device offline detection: a device with an {@code offline.expectedInterval} that sends nothing
 * for {@code missedIntervals} x that interval gets a DEVICE_OFFLINE episode, cleared by its next
 * message. Devices in maintenance are not reported. The clock of a device starts when the engine
 * starts, so a device silent since boot is reported too.
 */
final class OfflineWatch {
  static final String EPISODE_KEY = "watchdog";

  private final Map<String, Instant> lastSeen = new HashMap<>();
  private final Map<String, DeviceRef> devices;
  private final Function<String, RulesSection> rulesOf;
  private final EpisodeBook episodes;

  OfflineWatch(Map<String, DeviceRef> devices, Function<String, RulesSection> rulesOf, EpisodeBook episodes,
      Instant start) {
    this.devices = devices;
    this.rulesOf = rulesOf;
    this.episodes = episodes;
    devices.keySet().forEach(id -> lastSeen.put(id, start));
  }

  /** Starts watching a device added at run time: silent from now on counts. */
  void watch(String deviceId, Instant now) {
    lastSeen.putIfAbsent(deviceId, now);
  }

  /** Stops watching a device removed at run time. */
  void forget(String deviceId) {
    lastSeen.remove(deviceId);
  }

  void seen(String deviceId, Output out) {
    lastSeen.put(deviceId, out.now());
    EpisodeKey key = key(deviceId);
    if (episodes.isOpen(key)) {
      episodes.clearNotice(key, Map.of("clearedBy", "message"), out);
    }
  }

  void tick(Output out, Predicate<DeviceRef> inMaintenance) {
    for (Map.Entry<String, Instant> e : lastSeen.entrySet()) {
      Duration limit = rulesOf.apply(e.getKey()).offline().silenceLimit();
      DeviceRef device = devices.get(e.getKey());
      if (limit == null || device == null || out.now().isBefore(e.getValue().plus(limit))
          || episodes.isOpen(key(e.getKey())) || inMaintenance.test(device)) {
        continue;
      }
      episodes.raiseNotice(key(e.getKey()), device, EventKind.STATUS, CanonicalType.DEVICE_OFFLINE.defaultLevel(),
          "offline", Map.of("lastSeen", e.getValue().toString(), "silenceLimit", limit.toString()),
          "No message from the device since " + e.getValue(), e.getValue(), out);
    }
  }

  private static EpisodeKey key(String deviceId) {
    return new EpisodeKey(deviceId, CanonicalType.DEVICE_OFFLINE, EPISODE_KEY);
  }
}
