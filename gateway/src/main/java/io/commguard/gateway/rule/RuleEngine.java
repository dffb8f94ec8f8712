package io.commguard.gateway.rule;

import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.pipeline.RuleStage;
import io.commguard.gateway.rule.spec.GatewayRules;
import io.commguard.gateway.rule.spec.GatewayRulesParser;
import io.commguard.gateway.rule.spec.RulesSection;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Supplier;

/**
 * The rules stage: turns device events into alerts with a lifecycle (see docs/rules.md).
 *
 * <p>Threading: {@link #evaluate} and {@link #tick} are called under the pipeline's lock, from
 * source threads and Vert.x event loops; they are pure CPU work and never block: state changes go
 * to the {@link RuleStateStore}, which writes them behind on its own thread. {@link
 * #enterMaintenance} and {@link #leaveMaintenance} are thread-safe: they queue a command applied
 * at the next call into the engine. All time comes from the injected {@link Clock} (or the {@code
 * now} given to {@link #tick}).
 */
public final class RuleEngine implements RuleStage, MaintenanceControl, AutoCloseable {
  /** File of the rule state inside the data directory. */
  public static final String STATE_FILE = "rules.db";
  static final int MAX_PENDING_COMMANDS = 256;
  private static final System.Logger LOG = System.getLogger(RuleEngine.class.getName());

  private final String gatewayId;
  private final Clock clock;
  private final Supplier<String> ids;
  private final RuleStateStore store;
  private final GatewayRules gatewayRules;
  private final Map<String, RulesSection> rulesByProfile;
  private final Map<String, DeviceRef> devices = new HashMap<>();
  private final Set<String> configuredIds;
  private final Map<String, RulesSection> resolved = new HashMap<>();
  /**
   * Maintenance commands waiting for the next engine call. Overload policy: bounded at {@value
   * #MAX_PENDING_COMMANDS}; a command beyond it is refused with IllegalStateException (the admin API
   * answers 503), never queued without bound.
   */
  private final ArrayBlockingQueue<Command> commands = new ArrayBlockingQueue<>(MAX_PENDING_COMMANDS);
  private volatile List<MaintenanceControl.Window> windowView = List.of();

  private final RateLimiter limiter;
  private final EpisodeBook episodes;
  private final ThresholdTracker thresholds;
  private final TelemetryFilter telemetry;
  private final AccessSummaries access;
  private final MaintenanceWindows maintenance;
  private final OfflineWatch offline;
  private final HouseholdWatch households;

  private record Command(MaintenanceScope scope, Instant until) {}

  /**
   * Opens the engine of a gateway: rule state in {@code <dataDir>/rules.db}, loaded now. Blocking
   * (opens SQLite); call at boot.
   *
   * @param gatewayRules the validated rule parts of {@code config} ({@link GatewayRulesParser})
   * @param rulesByProfile each profile id's parsed {@code rules} section; profiles without one may
   *     be absent
   */
  public static RuleEngine open(GatewayConfig config, GatewayRules gatewayRules,
      Map<String, RulesSection> rulesByProfile, Clock clock, Counters counters) {
    RuleStateStore store = SqliteRuleStateStore.open(Path.of(config.dataDir()).resolve(STATE_FILE), counters);
    return new RuleEngine(config.gatewayId(), config.devices(), gatewayRules, rulesByProfile, store, clock, counters,
        () -> UUID.randomUUID().toString());
  }

  /**
   * @param gatewayRules the validated rule parts of the config ({@link GatewayRulesParser})
   * @param rulesByProfile each profile id's {@code rules} section; profiles without one may be absent
   * @param ids alert id generator (random UUIDs in production)
   */
  public RuleEngine(String gatewayId, List<DeviceConfig> deviceConfigs, GatewayRules gatewayRules,
      Map<String, RulesSection> rulesByProfile, RuleStateStore store, Clock clock, Counters counters,
      Supplier<String> ids) {
    this.gatewayId = gatewayId;
    this.clock = clock;
    this.ids = ids;
    this.store = store;
    this.gatewayRules = gatewayRules;
    this.rulesByProfile = Map.copyOf(rulesByProfile);
    for (DeviceConfig d : deviceConfigs) {
      devices.put(d.id(), new DeviceRef(d.id(), d.profile(), "", d.site(), d.location()));
    }
    this.configuredIds = Set.copyOf(devices.keySet());
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
    if (maintenance.hold(e)) {
      windowView = maintenance.view();
      return out.alerts();
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

  @Override
  public List<AlertDraft> tick(Instant now) {
    Output out = new Output(limiter, now);
    applyCommands(out);
    maintenance.expire(out);
    episodes.tick(now, out);
    telemetry.tick(out);
    access.tick(out);
    offline.tick(out, maintenance::covers);
    households.tick(out);
    limiter.summaries(now, ids, out);
    windowView = maintenance.view();
    return out.alerts();
  }

  @Override
  public void committed(List<AlertDraft> alerts) {
    episodes.committed(alerts);
  }

  /** Completes once every state change made so far is durably in {@code rules.db}. */
  @Override
  public CompletionStage<Void> flush() {
    return store.flush();
  }

  @Override
  public void enterMaintenance(MaintenanceScope scope, Instant until) {
    if (scope.deviceId() != null && !configuredIds.contains(scope.deviceId())) {
      throw new IllegalArgumentException("unknown device " + scope.deviceId());
    }
    if (!until.isAfter(clock.instant())) {
      throw new IllegalArgumentException("until must be in the future, was " + until);
    }
    offer(new Command(scope, until));
  }

  @Override
  public void leaveMaintenance(MaintenanceScope scope) {
    offer(new Command(scope, null));
  }

  private void offer(Command c) {
    if (!commands.offer(c)) {
      throw new IllegalStateException("too many maintenance commands waiting for the engine");
    }
  }

  @Override
  public List<MaintenanceControl.Window> maintenanceWindows() {
    return windowView;
  }

  /** Writes pending state and closes the state store. */
  @Override
  public void close() {
    store.close();
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

  private void applyCommands(Output out) {
    Command c;
    boolean any = false;
    while ((c = commands.poll()) != null) {
      any = true;
      if (c.until() == null) {
        maintenance.leave(c.scope(), "operator", out);
      } else {
        Output sink = out;
        maintenance.enter(c.scope(), c.until(), out, scope -> startMaintenance(scope, sink));
      }
      LOG.log(Level.INFO, "Maintenance command applied scope={0} until={1}", c.scope(),
          c.until() == null ? "now" : c.until());
    }
    if (any) {
      windowView = maintenance.view();
    }
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
    for (Map.Entry<String, String> e : new TreeMap<>(state).entrySet()) {
      String key = e.getKey();
      try {
        if (key.startsWith("episode/")) {
          Episode ep = StateCodec.episode(e.getValue());
          String owner = ep.key.deviceId();
          episodes.restore(ep, configuredIds.contains(owner) || households.watches(owner));
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
