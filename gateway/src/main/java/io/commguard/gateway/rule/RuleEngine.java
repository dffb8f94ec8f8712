package io.commguard.gateway.rule;

import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.pipeline.RuleStage;
import io.commguard.gateway.pipeline.StateChanges;
import io.commguard.gateway.rule.spec.GatewayRules;
import io.commguard.gateway.rule.spec.GatewayRulesParser;
import io.commguard.gateway.rule.spec.RulesSection;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The rules stage: turns device events into alerts with a lifecycle (see docs/rules.md).
 *
 * <p>Threading: {@link #evaluate} and {@link #tick} are called under the pipeline's lock, from
 * source threads and Vert.x event loops; they are pure CPU work and never block: state changes are
 * recorded in the {@link RuleStateStore} and drained by the pipeline into the same commit as the
 * alerts they explain. {@link
 * #enterMaintenance} and {@link #leaveMaintenance} are thread-safe: they queue a command applied
 * at the next call into the engine, whose stage completes when the pipeline has committed it. All time comes from the injected {@link Clock} (or the {@code
 * now} given to {@link #tick}).
 *
 * <p>Safety invariants of maintenance: a window is never longer than the configured maximum; a
 * level-1 alarm is never held back by it (its alerts carry {@value #DURING_MAINTENANCE}); and a
 * failing part of a tick or of a maintenance command is logged and counted ({@code
 * rule_step_failed}) without stopping the other parts, so one bad window cannot stop later alarms.
 */
public final class RuleEngine implements RuleStage, MaintenanceControl {
  static final int MAX_PENDING_COMMANDS = 256;
  /** Attribute of an alert decided while its device was under maintenance; the value is the scope. */
  public static final String DURING_MAINTENANCE = "duringMaintenance";
  private static final System.Logger LOG = System.getLogger(RuleEngine.class.getName());
  private static final RateLimitedLog FAILURES = new RateLimitedLog(LOG, 60_000);

  private final String gatewayId;
  private final Clock clock;
  private final Duration maxMaintenance;
  private final Counters counters;
  private final Supplier<String> ids;
  private final RuleStateStore store;
  private final GatewayRules gatewayRules;
  private final Map<String, RulesSection> rulesByProfile;
  private final Map<String, DeviceRef> devices = new HashMap<>();
  /** Read by the admin API's threads; changed only on the engine's thread. */
  private final Set<String> configuredIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Registry changes waiting for the next engine call; as rare as operators' edits, so unbounded. */
  private final java.util.Queue<DeviceCommand> deviceCommands = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Map<String, RulesSection> resolved = new HashMap<>();
  /**
   * Maintenance commands waiting for the next engine call. Overload policy: bounded at {@value
   * #MAX_PENDING_COMMANDS}; a command beyond it is refused with IllegalStateException (the admin API
   * answers 503), never queued without bound.
   */
  private final ArrayBlockingQueue<Command> commands = new ArrayBlockingQueue<>(MAX_PENDING_COMMANDS);
  private volatile List<MaintenanceControl.Window> windowView = List.of();
  /** Counted at each tick, read by the metrics from any thread. */
  private volatile int[] openByLevel = new int[5];

  private final RateLimiter limiter;
  private final EpisodeBook episodes;
  private final ThresholdTracker thresholds;
  private final TelemetryFilter telemetry;
  private final AccessSummaries access;
  private final MaintenanceWindows maintenance;
  private final OfflineWatch offline;
  private final HouseholdWatch households;

  /** Enter (with {@code until}) or leave (without); {@code done} gets the window before the change's commit settles. */
  private record Command(MaintenanceScope scope, Instant until, CompletableFuture<Optional<MaintenanceControl.Window>> done) {}

  private record DeviceCommand(DeviceRef added, String removed) {}

  /**
   * The engine of a gateway, resuming from the rule state committed before a restart.
   *
   * @param devices the devices in service at start (the registry's)
   * @param gatewayRules the validated rule parts of {@code config} ({@link GatewayRulesParser})
   * @param rulesByProfile each profile id's parsed {@code rules} section; profiles without one may
   *     be absent
   * @param committedState the rule state as loaded from the outbox database
   */
  public static RuleEngine open(GatewayConfig config, List<DeviceConfig> devices, GatewayRules gatewayRules,
      Map<String, RulesSection> rulesByProfile, Map<String, String> committedState, Clock clock, Counters counters) {
    RuleStateStore store = new RuleStateStore(committedState);
    return new RuleEngine(config.gatewayId(), devices, gatewayRules, rulesByProfile, store, clock, counters,
        () -> UUID.randomUUID().toString(), Duration.ofHours(config.admin().maxMaintenanceHours()));
  }

  /** An engine whose maintenance windows last at most the default 24 hours. */
  public RuleEngine(String gatewayId, List<DeviceConfig> deviceConfigs, GatewayRules gatewayRules,
      Map<String, RulesSection> rulesByProfile, RuleStateStore store, Clock clock, Counters counters,
      Supplier<String> ids) {
    this(gatewayId, deviceConfigs, gatewayRules, rulesByProfile, store, clock, counters, ids,
        Duration.ofHours(io.commguard.gateway.config.AdminConfig.DEFAULT_MAX_MAINTENANCE_HOURS));
  }

  /**
   * @param gatewayRules the validated rule parts of the config ({@link GatewayRulesParser})
   * @param rulesByProfile each profile id's {@code rules} section; profiles without one may be absent
   * @param ids alert id generator (random UUIDs in production)
   * @param maxMaintenance longest maintenance window, counted from the request (or from the start,
   *     for a window restored from disk)
   */
  public RuleEngine(String gatewayId, List<DeviceConfig> deviceConfigs, GatewayRules gatewayRules,
      Map<String, RulesSection> rulesByProfile, RuleStateStore store, Clock clock, Counters counters,
      Supplier<String> ids, Duration maxMaintenance) {
    this.gatewayId = gatewayId;
    this.clock = clock;
    this.maxMaintenance = maxMaintenance;
    this.counters = counters;
    this.ids = ids;
    this.store = store;
    this.gatewayRules = gatewayRules;
    this.rulesByProfile = Map.copyOf(rulesByProfile);
    for (DeviceConfig d : deviceConfigs) {
      devices.put(d.id(), new DeviceRef(d.id(), d.profile(), "", d.site(), d.location()));
    }
    this.configuredIds.addAll(devices.keySet());
    Instant start = clock.instant();
    this.limiter = new RateLimiter(counters);
    this.episodes = new EpisodeBook(this::rulesOf, ids, counters, store);
    this.thresholds = new ThresholdTracker(store);
    this.telemetry = new TelemetryFilter(this::rulesOf, ids, counters, store);
    this.access = new AccessSummaries(this::rulesOf, ids, counters);
    this.maintenance = new MaintenanceWindows(this::refOf, ids, counters, store);
    this.offline = new OfflineWatch(devices, this::rulesOf, episodes, start);
    this.households = new HouseholdWatch(gatewayRules.households(), devices, episodes, store, clock.getZone(), start);
    restore(store.loaded());
    maintenance.bound(clock.instant(), maxMaintenance);
    windowView = maintenance.view();
  }

  @Override
  public List<AlertDraft> evaluate(DeviceEvent e) {
    Output out = new Output(limiter, clock.instant());
    applyCommands(out);
    devices.putIfAbsent(e.deviceId(), e.device());
    if (e.type() != CanonicalType.DEVICE_OFFLINE) {
      offline.seen(e.deviceId(), out);
    }
    households.seen(e, out);
    MaintenanceScope under = guarded("maintenance_lookup", () -> maintenance.scopeCovering(e.device()), null);
    if (under != null) {
      evaluateUnderMaintenance(e, under, out);
      windowView = maintenance.view();
      return flagged(out.alerts(), under);
    }
    for (DeviceEvent sample : thresholds.samples(e, rulesOf(e.deviceId()), episodes::tracks)) {
      episodes.sample(sample, out);
    }
    switch (e.kind()) {
      case TELEMETRY -> telemetry.accept(e, out);
      case ACCESS -> access.accept(e, out);
      case ALARM, STATUS -> episodes.sample(e, out);
    }
    return out.alerts();
  }

  /**
   * A covered device's event is held back unless it is urgent: a level-1 alarm (reported, or
   * reached by a threshold), or a change of an episode such an alarm opened during the window, which
   * must be able to update and clear it. Urgent samples go through the normal lifecycle.
   */
  private void evaluateUnderMaintenance(DeviceEvent e, MaintenanceScope under, Output out) {
    List<DeviceEvent> urgent = new ArrayList<>(1);
    for (DeviceEvent sample : thresholds.samples(e, rulesOf(e.deviceId()), episodes::tracks)) {
      if (urgent(sample)) {
        urgent.add(sample);
      }
    }
    boolean eventUrgent = (e.kind() == EventKind.ALARM || e.kind() == EventKind.STATUS) && urgent(e);
    if (eventUrgent) {
      urgent.add(e);
    } else {
      guarded("maintenance_hold", () -> maintenance.hold(e), false);
    }
    for (DeviceEvent sample : urgent) {
      counters.increment("rule_urgent_during_maintenance", e.deviceId(), e.type().name());
      episodes.sample(sample, out);
    }
    if (!urgent.isEmpty()) {
      LOG.log(Level.WARNING, "Level-1 alarm during maintenance forwarded device={0} type={1} scope={2}",
          e.deviceId(), e.type(), under);
    }
  }

  private boolean urgent(DeviceEvent sample) {
    EpisodeKey key = new EpisodeKey(sample.deviceId(), sample.type(), sample.episodeKey());
    return (sample.level() == 1 && sample.phase() != Phase.INACTIVE) || episodes.tracks(key);
  }

  /** Marks the alerts of devices under maintenance, except the window's own notices. */
  private List<AlertDraft> flagged(List<AlertDraft> alerts, MaintenanceScope knownScope) {
    if (alerts.isEmpty()) {
      return alerts;
    }
    List<AlertDraft> out = new ArrayList<>(alerts.size());
    for (AlertDraft a : alerts) {
      MaintenanceScope scope = MaintenanceWindows.isNotice(a) ? null
          : knownScope != null && knownScope.covers(a.device()) ? knownScope : maintenance.scopeCovering(a.device());
      if (scope == null) {
        out.add(a);
        continue;
      }
      Map<String, String> attributes = new LinkedHashMap<>(a.attributes());
      attributes.put(DURING_MAINTENANCE, scope.toString());
      out.add(new AlertDraft(a.alertId(), a.device(), a.kind(), a.type(), a.level(), a.state(), a.nativeCode(),
          a.occurredAt(), a.detectedAt(), a.measurements(), a.evidence(), attributes, a.description()));
    }
    return List.copyOf(out);
  }

  @Override
  public List<AlertDraft> tick(Instant now) {
    Output out = new Output(limiter, now);
    applyCommands(out);
    step("maintenance_expiry", () -> maintenance.expire(out));
    step("episodes", () -> episodes.tick(now, out));
    step("telemetry", () -> telemetry.tick(out));
    step("access", () -> access.tick(out));
    step("offline", () -> offline.tick(out, maintenance::covers));
    step("households", () -> households.tick(out));
    step("rate_limit_summaries", () -> limiter.summaries(now, ids, out));
    windowView = maintenance.view();
    openByLevel = episodes.openByLevel();
    return flagged(out.alerts(), null);
  }

  private void step(String name, Runnable part) {
    guarded(name, () -> {
      part.run();
      return null;
    }, null);
  }

  /**
   * Runs one part of the engine; a failure is logged (at most once a minute per part) and counted
   * as {@code rule_step_failed{reason=<part>}}, and {@code fallback} is used, so the other parts
   * still run.
   */
  private <T> T guarded(String name, Supplier<T> part, T fallback) {
    try {
      return part.get();
    } catch (RuntimeException ex) {
      counters.increment("rule_step_failed", "", name);
      FAILURES.log(Level.ERROR, name, "Rule engine step failed, other steps go on step=" + name + " error=" + ex);
      return fallback;
    }
  }

  /** Open alarm episodes of announced level 1..4 as of the last tick; thread-safe. */
  public int openEpisodes(int level) {
    return openByLevel[level];
  }

  @Override
  public StateChanges drainChanges() {
    return store.drain();
  }

  @Override
  public CompletionStage<MaintenanceControl.Window> enterMaintenance(MaintenanceScope scope, Instant until) {
    if (scope.deviceId() != null && !configuredIds.contains(scope.deviceId())) {
      throw new IllegalArgumentException("unknown device " + scope.deviceId());
    }
    Instant now = clock.instant();
    if (!until.isAfter(now)) {
      throw new IllegalArgumentException("until must be in the future, was " + until);
    }
    if (until.isAfter(now.plus(maxMaintenance))) {
      throw new IllegalArgumentException("until is more than " + maxMaintenance.toHours()
          + " h ahead (admin.maxMaintenanceHours), was " + until);
    }
    return offer(scope, until).thenApply(Optional::orElseThrow);
  }

  @Override
  public CompletionStage<Optional<MaintenanceControl.Window>> leaveMaintenance(MaintenanceScope scope) {
    return offer(scope, null);
  }

  private CompletableFuture<Optional<MaintenanceControl.Window>> offer(MaintenanceScope scope, Instant until) {
    Command c = new Command(scope, until, new CompletableFuture<>());
    if (!commands.offer(c)) {
      throw new IllegalStateException("too many maintenance commands waiting for the engine");
    }
    return c.done();
  }

  @Override
  public List<MaintenanceControl.Window> maintenanceWindows() {
    return windowView;
  }

  /** The effective rules of a device: built-in, profile, matching site overrides, device override. */
  RulesSection rulesOf(String deviceId) {
    RulesSection r = resolved.get(deviceId);
    if (r == null) {
      DeviceRef d = devices.get(deviceId);
      r = RulesSection.BUILT_IN;
      if (d != null) {
        r = r.overriddenBy(rulesByProfile.get(d.profileId()));
        for (GatewayRules.SiteOverride s : gatewayRules.sites()) {
          if (s.scope().covers(d.site())) {
            r = r.overriddenBy(s.rules());
          }
        }
      }
      r = r.overriddenBy(gatewayRules.devices().get(deviceId));
      resolved.put(deviceId, r);
    }
    return r;
  }

  /**
   * Devices added to or removed from the registry while running; applied at the next engine call.
   * A new device is watched for silence from then on; a removed one's open episodes are CLEARED
   * ({@code clearedBy=deconfigured}) on the next tick, as after a restart without it.
   */
  public void devicesChanged(List<DeviceConfig> added, List<String> removed) {
    removed.forEach(id -> deviceCommands.add(new DeviceCommand(null, id)));
    added.forEach(d -> deviceCommands.add(new DeviceCommand(new DeviceRef(d.id(), d.profile(), "", d.site(), d.location()), null)));
  }

  private void applyDeviceCommands(Instant now) {
    DeviceCommand c;
    while ((c = deviceCommands.poll()) != null) {
      if (c.removed() != null) {
        devices.remove(c.removed());
        configuredIds.remove(c.removed());
        offline.forget(c.removed());
        episodes.deconfigure(c.removed());
      } else {
        devices.put(c.added().deviceId(), c.added());
        configuredIds.add(c.added().deviceId());
        offline.watch(c.added().deviceId(), now);
      }
    }
  }

  private void applyCommands(Output out) {
    applyDeviceCommands(out.now());
    Command c;
    boolean any = false;
    while ((c = commands.poll()) != null) {
      any = true;
      Command command = c;
      step("maintenance_command", () -> {
        try {
          Optional<MaintenanceControl.Window> window;
          if (command.until() == null) {
            window = windowOf(command.scope());
            maintenance.leave(command.scope(), "operator", out);
          } else {
            maintenance.enter(command.scope(), command.until(), out, scope -> startMaintenance(scope, out));
            window = windowOf(command.scope());
          }
          store.whenDurable().whenComplete((v, error) -> {
            if (error == null) {
              command.done().complete(window);
            } else {
              command.done().completeExceptionally(error);
            }
          });
        } catch (RuntimeException e) {
          command.done().completeExceptionally(e);
          throw e;
        }
        LOG.log(Level.INFO, "Maintenance command applied scope={0} until={1}", command.scope(),
            command.until() == null ? "now" : command.until());
      });
    }
    if (any) {
      windowView = maintenance.view();
    }
  }

  private Optional<MaintenanceControl.Window> windowOf(MaintenanceScope scope) {
    return maintenance.view().stream().filter(w -> w.scope().equals(scope.toString())).findFirst();
  }

  /** A window starts: its open episodes end (the work order closes), threshold levels reset. */
  private void startMaintenance(MaintenanceScope scope, Output out) {
    episodes.endAll(ep -> !ep.managed && scope.covers(ep.device), Map.of("clearedBy", "maintenance"), out);
    devices.values().stream().filter(scope::covers).forEach(d -> thresholds.reset(d.deviceId()));
  }

  private DeviceRef refOf(MaintenanceScope scope) {
    if (scope.deviceId() != null) {
      DeviceRef d = devices.get(scope.deviceId());
      return d != null ? d : new DeviceRef(scope.deviceId(), "", "", null, "");
    }
    return new DeviceRef(gatewayId, "", "gateway", scope.site().toSite(), "site " + scope.site());
  }

  private void restore(Map<String, String> state) {
    int restored = 0;
    boolean imported = state.containsKey(StateChanges.IMPORTED_MARKER);
    if (imported) {
      store.remove(StateChanges.IMPORTED_MARKER);
    }
    for (Map.Entry<String, String> e : new TreeMap<>(state).entrySet()) {
      String key = e.getKey();
      if (key.equals(StateChanges.IMPORTED_MARKER)) {
        continue;
      }
      try {
        if (key.startsWith("episode/")) {
          Episode ep = StateCodec.episode(e.getValue());
          String owner = ep.key.deviceId();
          episodes.restore(ep, configuredIds.contains(owner) || households.watches(owner), imported);
        } else if (ThresholdTracker.owns(key)) {
          thresholds.restore(key, e.getValue());
        } else if (TelemetryFilter.owns(key)) {
          String id = TelemetryFilter.deviceOf(key);
          telemetry.restore(key, e.getValue(), devices.getOrDefault(id, new DeviceRef(id, "", "", null, "")));
        } else if (MaintenanceWindows.owns(key)) {
          maintenance.restore(e.getValue());
        } else if (HouseholdWatch.owns(key)) {
          households.restore(key, e.getValue());
        } else {
          throw new IllegalArgumentException("unknown state key");
        }
        restored++;
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "Rule state entry unreadable, dropped key={0} reason={1}", key, ex.getMessage());
        store.remove(key);
      }
    }
    if (restored > 0) {
      LOG.log(Level.INFO, "Rule state restored entries={0} openEpisodes={1}", restored,
          episodes.all().stream().filter(Episode::open).count());
    }
  }
}
