package io.commguard.gateway.rule;

import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.rule.spec.HouseholdSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ELDERLY_NO_ACTIVITY: for each configured household, the time of the last activity from its
 * devices; inside the daily window, when the quiet time since {@code max(last activity, window
 * start)} reaches {@code noActivityFor}, a level-2 episode is raised for the household. The next
 * activity clears it (whether or not the window is still open).
 */
final class HouseholdWatch {
  static final String EPISODE_KEY = "household";
  private static final Duration PERSIST_EVERY = Duration.ofMinutes(1);

  private final List<Household> households = new ArrayList<>();
  private final Map<String, List<Household>> byDevice = new HashMap<>();
  private final EpisodeBook episodes;
  private final RuleStateStore store;
  private final ZoneId defaultZone;

  private static final class Household {
    HouseholdSpec spec;
    DeviceRef ref;
    Instant lastActivity;
    Instant persistedActivity;
  }

  HouseholdWatch(List<HouseholdSpec> specs, Map<String, DeviceRef> devices, EpisodeBook episodes,
      RuleStateStore store, ZoneId defaultZone, Instant start) {
    this.episodes = episodes;
    this.store = store;
    this.defaultZone = defaultZone;
    for (HouseholdSpec spec : specs) {
      Household h = new Household();
      h.spec = spec;
      DeviceRef first = devices.get(spec.devices().get(0));
      h.ref = new DeviceRef(spec.id(), "", "household", first == null ? null : first.site(),
          spec.location() != null ? spec.location() : first == null ? "" : first.location());
      h.lastActivity = start;
      households.add(h);
      for (String d : spec.devices()) {
        byDevice.computeIfAbsent(d, k -> new ArrayList<>()).add(h);
      }
    }
  }

  void seen(DeviceEvent e, Output out) {
    for (Household h : byDevice.getOrDefault(e.deviceId(), List.of())) {
      if (!h.spec.activityKinds().contains(e.kind())) {
        continue;
      }
      h.lastActivity = out.now();
      if (h.persistedActivity == null || !out.now().isBefore(h.persistedActivity.plus(PERSIST_EVERY))) {
        h.persistedActivity = out.now();
        store.put(storageKey(h.spec.id()), StateCodec.write(new StateCodec.HouseholdState(out.now().toEpochMilli())));
      }
      episodes.clearNotice(key(h), Map.of("clearedBy", "activity", "activityDevice", e.deviceId()), out);
    }
  }

  void tick(Output out) {
    for (Household h : households) {
      Instant windowStart = windowStart(h.spec, out.now());
      if (windowStart == null || episodes.isOpen(key(h))) {
        continue;
      }
      Instant quietSince = h.lastActivity.isAfter(windowStart) ? h.lastActivity : windowStart;
      if (!out.now().isBefore(quietSince.plus(h.spec.noActivityFor()))) {
        episodes.raiseNotice(key(h), h.ref, EventKind.STATUS, CanonicalType.ELDERLY_NO_ACTIVITY.defaultLevel(),
            "no_activity", Map.of("lastActivity", h.lastActivity.toString(), "noActivityFor",
                h.spec.noActivityFor().toString()),
            "No activity in the household since " + quietSince, quietSince, out);
      }
    }
  }

  /** Start of the daily window containing {@code now}, or null when {@code now} is outside it. */
  Instant windowStart(HouseholdSpec spec, Instant now) {
    ZonedDateTime local = now.atZone(spec.timeZone() == null ? defaultZone : spec.timeZone());
    LocalTime t = local.toLocalTime();
    LocalTime from = spec.from();
    LocalTime to = spec.to();
    if (from.equals(to)) {
      return local.toLocalDate().atTime(from).atZone(local.getZone()).toInstant().isAfter(now)
          ? local.toLocalDate().minusDays(1).atTime(from).atZone(local.getZone()).toInstant()
          : local.toLocalDate().atTime(from).atZone(local.getZone()).toInstant();
    }
    if (from.isBefore(to)) {
      return !t.isBefore(from) && t.isBefore(to) ? local.toLocalDate().atTime(from).atZone(local.getZone()).toInstant()
          : null;
    }
    if (!t.isBefore(from)) {
      return local.toLocalDate().atTime(from).atZone(local.getZone()).toInstant();
    }
    return t.isBefore(to) ? local.toLocalDate().minusDays(1).atTime(from).atZone(local.getZone()).toInstant() : null;
  }

  void restore(String key, String json) {
    String id = key.substring("household/".length());
    for (Household h : households) {
      if (h.spec.id().equals(id)) {
        h.lastActivity = Instant.ofEpochMilli(StateCodec.read(json, StateCodec.HouseholdState.class).lastActivityMs());
        h.persistedActivity = h.lastActivity;
      }
    }
  }

  boolean watches(String householdId) {
    return households.stream().anyMatch(h -> h.spec.id().equals(householdId));
  }

  static boolean owns(String key) {
    return key.startsWith("household/");
  }

  private static EpisodeKey key(Household h) {
    return new EpisodeKey(h.spec.id(), CanonicalType.ELDERLY_NO_ACTIVITY, EPISODE_KEY);
  }

  private static String storageKey(String id) {
    return "household/" + id;
  }
}
