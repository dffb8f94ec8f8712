package io.commguard.gateway.rule;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Evidence;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.rule.spec.AlarmSpec;
import io.commguard.gateway.rule.spec.ConfirmationSpec;
import io.commguard.gateway.rule.spec.RulesSection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The alarm lifecycle: one episode per {@link EpisodeKey}, with raise and clear debounce,
 * de-duplication of repeats (re-posts, Start/Stop pairs, repeated door events become UPDATED or
 * nothing), quiet-time clearing of pulses, and the cross-device confirmation of gas alarms. Every
 * change of an open episode is handed to the state store.
 */
final class EpisodeBook {
  /** Most episodes (pending or open) one device may have at a time. */
  static final int MAX_EPISODES_PER_DEVICE = 256;

  private final Map<EpisodeKey, Episode> episodes = new LinkedHashMap<>();
  /** Cleared episodes imported from an earlier release's state: their CLEARED is sent again on the first tick. */
  private final List<Episode> importedClears = new ArrayList<>();
  private final Map<String, Integer> perDevice = new HashMap<>();
  private final Function<String, RulesSection> rulesOf;
  private final Supplier<String> ids;
  private final Counters counters;
  private final RuleStateStore store;

  EpisodeBook(Function<String, RulesSection> rulesOf, Supplier<String> ids, Counters counters, RuleStateStore store) {
    this.rulesOf = rulesOf;
    this.ids = ids;
    this.counters = counters;
    this.store = store;
  }

  /** Open (raised, not yet cleared) episodes of each announced level 1..4; index 0 unused. */
  int[] openByLevel() {
    int[] open = new int[5];
    for (Episode ep : episodes.values()) {
      if (ep.open() && ep.level >= 1 && ep.level <= 4) {
        open[ep.level]++;
      }
    }
    return open;
  }

  /** One alarm or status sample from a device (or derived by a threshold). */
  void sample(DeviceEvent e, Output out) {
    EpisodeKey key = new EpisodeKey(e.deviceId(), e.type(), e.episodeKey());
    RulesSection rules = rulesOf.apply(e.deviceId());
    AlarmSpec policy = rules.alarmFor(e.type());
    Instant now = out.now();
    if (e.phase() == Phase.INACTIVE) {
      Episode ep = episodes.get(key);
      if (ep == null) {
        counters.increment("rule_stop_without_episode", e.deviceId(), e.type().name());
        return;
      }
      if (!ep.open()) {
        forget(key);
        counters.increment("rule_debounced", e.deviceId(), e.type().name());
        return;
      }
      absorb(ep, e);
      if (ep.inactiveRun == 0) {
        ep.inactiveSince = now;
      }
      ep.inactiveRun++;
      tryClear(ep, policy, now, out);
      return;
    }
    Episode ep = episodes.get(key);
    if (ep == null) {
      makeRoom(e.deviceId(), out);
      ep = new Episode(key);
      add(ep);
    }
    absorb(ep, e);
    ep.desiredLevel = e.level();
    ep.pulse = e.phase() == Phase.PULSE;
    ep.lastActivity = now;
    ep.inactiveRun = 0;
    ep.inactiveSince = null;
    for (Evidence ev : e.evidence()) {
      if (ep.remember(ev)) {
        ep.pendingEvidence.add(ev);
      }
    }
    if (!ep.open()) {
      if (ep.activeRun == 0) {
        ep.activeSince = now;
        ep.occurredAt = e.deviceTime();
      }
      ep.activeRun++;
      tryRaise(ep, policy, rules, now, out);
    } else if (!maybeUpdate(ep, policy, rules, now, out)) {
      counters.increment("rule_deduplicated", e.deviceId(), e.type().name());
    }
    if (e.type() == CanonicalType.GAS_LEAK && ep.open()) {
      confirmNeighbours(ep, now, out);
    }
  }

  /** Time-driven transitions: raise after a minimum duration, clear after quiet or clear time. */
  void tick(Instant now, Output out) {
    sendImportedClears(out);
    for (Episode ep : new ArrayList<>(episodes.values())) {
      if (ep.orphan) {
        clear(ep, now, out, ep.restoredFromDisk
            ? Map.of("clearedBy", "deconfigured", "restored", "true") : Map.of("clearedBy", "deconfigured"));
        continue;
      }
      if (ep.managed) {
        if (ep.restored) {
          reannounce(ep, now, out);
        }
        continue;
      }
      RulesSection rules = rulesOf.apply(ep.key.deviceId());
      AlarmSpec policy = rules.alarmFor(ep.key.type());
      boolean quiet = (ep.pulse || policy.clearOn() == AlarmSpec.ClearOn.STOP_OR_QUIET)
          && ep.inactiveRun == 0
          && !now.isBefore(ep.lastActivity.plus(policy.quietClearAfter()));
      if (!ep.open()) {
        if (quiet) {
          forget(ep.key);
          counters.increment("rule_debounced", ep.key.deviceId(), ep.key.type().name());
        } else if (ep.activeRun > 0 && !ep.rateLimited) {
          tryRaise(ep, policy, rules, now, out);
        }
        continue;
      }
      if (ep.restored) {
        reannounce(ep, now, out);
      }
      if (ep.inactiveRun > 0) {
        tryClear(ep, policy, now, out);
      } else if (quiet) {
        clear(ep, now, out, Map.of("clearedBy", "quiet"));
      } else {
        maybeUpdate(ep, policy, rules, now, out);
      }
    }
  }

  /** Opens an episode the gateway derives itself (offline, no activity), without debounce. */
  void raiseNotice(EpisodeKey key, DeviceRef device, EventKind kind, int level, String nativeCode,
      Map<String, String> attributes, String description, Instant occurredAt, Output out) {
    if (episodes.containsKey(key)) {
      return;
    }
    Episode ep = new Episode(key);
    ep.managed = true;
    ep.device = device;
    ep.kind = kind;
    ep.desiredLevel = level;
    ep.level = level;
    ep.nativeCode = nativeCode;
    ep.attributes = attributes;
    ep.description = description;
    ep.occurredAt = occurredAt;
    ep.activeSince = out.now();
    ep.lastActivity = out.now();
    ep.lastUpdate = out.now();
    ep.alertId = ids.get();
    add(ep);
    out.notice(draft(ep, AlertState.RAISED, out.now(), List.of(), Map.of()));
    persist(ep);
  }

  /** Closes an episode the gateway derived itself; no-op when it is not open. */
  void clearNotice(EpisodeKey key, Map<String, String> attributes, Output out) {
    Episode ep = episodes.get(key);
    if (ep != null && ep.open()) {
      clear(ep, out.now(), out, attributes);
    }
  }

  /** True when an episode exists for {@code key}, pending or open. */
  boolean tracks(EpisodeKey key) {
    return episodes.containsKey(key);
  }

  boolean isOpen(EpisodeKey key) {
    Episode ep = episodes.get(key);
    return ep != null && ep.open();
  }

  /** Clears every open episode and forgets every pending one that {@code which} selects. */
  void endAll(Predicate<Episode> which, Map<String, String> attributes, Output out) {
    for (Episode ep : new ArrayList<>(episodes.values())) {
      if (which.test(ep)) {
        if (ep.open()) {
          clear(ep, out.now(), out, attributes);
        } else {
          forget(ep.key);
        }
      }
    }
  }

  /** The open episodes of a device removed at run time are CLEARED on the next tick ({@code clearedBy=deconfigured}). */
  void deconfigure(String deviceId) {
    episodes.values().stream().filter(ep -> ep.key.deviceId().equals(deviceId)).forEach(ep -> ep.orphan = true);
  }

  Collection<Episode> all() {
    return episodes.values();
  }

  /**
   * Puts back an episode loaded from disk. It is CLEARED ({@code clearedBy=deconfigured}) on the
   * next tick when its device or household is no longer configured. With {@code imported} (state of
   * an earlier release, whose alerts could be lost between two commits) an open episode is
   * re-announced as UPDATED {@code restored=true} on the next tick, and a cleared one sends its
   * CLEARED again.
   */
  void restore(Episode ep, boolean stillConfigured, boolean imported) {
    if (ep.clearedAt != null) {
      if (imported) {
        importedClears.add(ep);
      } else {
        store.remove(ep.key.storageKey());
      }
      return;
    }
    ep.restored = imported;
    ep.restoredFromDisk = true;
    ep.orphan = !stillConfigured;
    add(ep);
  }

  private void add(Episode ep) {
    episodes.put(ep.key, ep);
    perDevice.merge(ep.key.deviceId(), 1, Integer::sum);
  }

  private void forget(EpisodeKey key) {
    if (episodes.remove(key) != null) {
      perDevice.computeIfPresent(key.deviceId(), (id, n) -> n <= 1 ? null : n - 1);
    }
  }

  /**
   * Keeps a device under {@value #MAX_EPISODES_PER_DEVICE} episodes, so a device inventing a new
   * episode key per event cannot grow memory without bound: the oldest pending episode is dropped,
   * or else the oldest open one is cleared ({@code clearedBy=capacity}).
   */
  private void makeRoom(String deviceId, Output out) {
    if (perDevice.getOrDefault(deviceId, 0) < MAX_EPISODES_PER_DEVICE) {
      return;
    }
    Episode oldestPending = null;
    Episode oldestOpen = null;
    for (Episode ep : episodes.values()) {
      if (!ep.key.deviceId().equals(deviceId) || ep.managed) {
        continue;
      }
      if (!ep.open() && (oldestPending == null || ep.lastActivity.isBefore(oldestPending.lastActivity))) {
        oldestPending = ep;
      } else if (ep.open() && (oldestOpen == null || ep.lastActivity.isBefore(oldestOpen.lastActivity))) {
        oldestOpen = ep;
      }
    }
    counters.increment("rule_episodes_evicted", deviceId, "capacity");
    if (oldestPending != null) {
      forget(oldestPending.key);
    } else if (oldestOpen != null) {
      clear(oldestOpen, out.now(), out, Map.of("clearedBy", "capacity"));
    }
  }

  private void absorb(Episode ep, DeviceEvent e) {
    ep.device = e.device();
    ep.kind = e.kind();
    ep.nativeCode = e.nativeCode();
    ep.description = e.description();
    if (!e.measurements().isEmpty()) {
      ep.measurements = e.measurements();
    }
    ep.attributes = e.attributes();
  }

  private void tryRaise(Episode ep, AlarmSpec policy, RulesSection rules, Instant now, Output out) {
    if (ep.activeRun < policy.raiseSamples() || now.isBefore(ep.activeSince.plus(policy.raiseAfter()))) {
      return;
    }
    int level = effectiveLevel(ep, now);
    ep.alertId = ids.get();
    AlertDraft raised = draft(ep, AlertState.RAISED, now, List.copyOf(ep.pendingEvidence),
        confirmationAttributes(ep, level), level);
    if (!out.offer(raised, rules.rateLimit())) {
      ep.alertId = null;
      ep.rateLimited = true;
      return;
    }
    ep.rateLimited = false;
    ep.level = level;
    ep.lastUpdate = now;
    ep.pendingEvidence.clear();
    persist(ep);
  }

  /** Emits UPDATED on a level change, or on new evidence once per update interval. */
  private boolean maybeUpdate(Episode ep, AlarmSpec policy, RulesSection rules, Instant now, Output out) {
    int level = effectiveLevel(ep, now);
    boolean levelChanged = level != ep.level;
    boolean evidenceDue = !ep.pendingEvidence.isEmpty() && !now.isBefore(ep.lastUpdate.plus(policy.updateInterval()));
    if (!levelChanged && !evidenceDue) {
      return false;
    }
    Map<String, String> extra = new HashMap<>(confirmationAttributes(ep, level));
    if (levelChanged) {
      extra.put("previousLevel", Integer.toString(ep.level));
    }
    AlertDraft updated = draft(ep, AlertState.UPDATED, now, List.copyOf(ep.pendingEvidence), extra, level);
    if (!out.offer(updated, rules.rateLimit())) {
      return true;
    }
    ep.level = level;
    ep.lastUpdate = now;
    ep.pendingEvidence.clear();
    persist(ep);
    return true;
  }

  private void tryClear(Episode ep, AlarmSpec policy, Instant now, Output out) {
    if (ep.inactiveRun >= policy.clearSamples() && !now.isBefore(ep.inactiveSince.plus(policy.clearAfter()))) {
      clear(ep, now, out, Map.of());
    }
  }

  private void clear(Episode ep, Instant now, Output out, Map<String, String> extra) {
    out.notice(draft(ep, AlertState.CLEARED, now, List.copyOf(ep.pendingEvidence), extra));
    forget(ep.key);
    // Committed in the same transaction as the CLEARED: no crash can separate the two.
    store.remove(ep.key.storageKey());
  }

  /** CLEARED alerts of imported cleared episodes (see {@link #restore}): sent once, with the key removed. */
  private void sendImportedClears(Output out) {
    for (Episode ep : importedClears) {
      Map<String, String> extra = new HashMap<>(ep.clearedWith);
      extra.put("restored", "true");
      out.notice(draft(ep, AlertState.CLEARED, ep.clearedAt, List.of(), extra));
      store.remove(ep.key.storageKey());
    }
    importedClears.clear();
  }

  private void reannounce(Episode ep, Instant now, Output out) {
    ep.restored = false;
    out.notice(draft(ep, AlertState.UPDATED, now, List.of(), Map.of("restored", "true")));
  }

  /** Re-checks gas episodes of the same zone that confirmation held at a lower level. */
  private void confirmNeighbours(Episode source, Instant now, Output out) {
    // Runs for every gas sample: only the open gas episodes of the same zone are copied out.
    String zone = null;
    List<Episode> neighbours = List.of();
    for (Episode other : episodes.values()) {
      if (other == source || !other.open() || other.key.type() != CanonicalType.GAS_LEAK) {
        continue;
      }
      if (zone == null) {
        zone = zoneOf(source.device);
      }
      if (zone.equals(zoneOf(other.device))) {
        if (neighbours.isEmpty()) {
          neighbours = new ArrayList<>();
        }
        neighbours.add(other);
      }
    }
    for (Episode other : neighbours) {
      if (effectiveLevel(other, now) != other.level) {
        RulesSection rules = rulesOf.apply(other.key.deviceId());
        maybeUpdate(other, rules.alarmFor(CanonicalType.GAS_LEAK), rules, now, out);
      }
    }
  }

  /**
   * The level to announce: the desired level, except that a level-1 gas alarm under {@code
   * TWO_DETECTORS} confirmation needs another detector of the same zone with an ongoing gas
   * episode whose last active sample is within {@code within} of this one's.
   */
  private int effectiveLevel(Episode ep, Instant now) {
    if (ep.key.type() != CanonicalType.GAS_LEAK || ep.desiredLevel != 1) {
      return ep.desiredLevel;
    }
    ConfirmationSpec spec = rulesOf.apply(ep.key.deviceId()).confirmation();
    if (spec.mode() == ConfirmationSpec.Mode.OFF) {
      return 1;
    }
    return confirmingDevice(ep, spec) != null ? 1 : Math.max(1, spec.unconfirmedLevel());
  }

  private String confirmingDevice(Episode ep, ConfirmationSpec spec) {
    String zone = zoneOf(ep.device);
    for (Episode other : episodes.values()) {
      if (other.key.type() == CanonicalType.GAS_LEAK && !other.key.deviceId().equals(ep.key.deviceId())
          && other.inactiveRun == 0 && other.lastActivity != null
          && Duration.between(other.lastActivity, ep.lastActivity).abs().compareTo(spec.within()) <= 0
          && zone.equals(zoneOf(other.device))) {
        return other.key.deviceId();
      }
    }
    return null;
  }

  private Map<String, String> confirmationAttributes(Episode ep, int level) {
    if (ep.key.type() != CanonicalType.GAS_LEAK || ep.desiredLevel != 1) {
      return Map.of();
    }
    ConfirmationSpec spec = rulesOf.apply(ep.key.deviceId()).confirmation();
    if (spec.mode() == ConfirmationSpec.Mode.OFF) {
      return Map.of();
    }
    if (level != 1) {
      return Map.of("confirmation", "single_detector", "zone", zoneOf(ep.device));
    }
    String by = confirmingDevice(ep, spec);
    return Map.of("confirmation", "confirmed", "zone", zoneOf(ep.device), "confirmedBy", by == null ? "" : by);
  }

  /** The device's configured zone, else its community/building/unit/floor. */
  String zoneOf(DeviceRef device) {
    String zone = rulesOf.apply(device.deviceId()).zone();
    if (zone != null) {
      return zone;
    }
    var s = device.site();
    return s.communityCode() + "/" + s.building() + "/" + s.unit() + "/" + s.floor();
  }

  private AlertDraft draft(Episode ep, AlertState state, Instant now, List<Evidence> evidence, Map<String, String> extra) {
    return draft(ep, state, now, evidence, extra, ep.level);
  }

  private AlertDraft draft(Episode ep, AlertState state, Instant now, List<Evidence> evidence,
      Map<String, String> extra, int level) {
    Map<String, String> attributes = ep.attributes;
    if (!extra.isEmpty()) {
      attributes = new HashMap<>(ep.attributes);
      attributes.putAll(extra);
    }
    return new AlertDraft(ep.alertId, ep.device, ep.kind, ep.key.type(), level, state, ep.nativeCode,
        ep.occurredAt, now, ep.measurements, evidence, attributes, ep.description);
  }

  private void persist(Episode ep) {
    store.put(ep.key.storageKey(), StateCodec.episode(ep));
  }
}
