package io.commguard.gateway;

import io.commguard.gateway.admin.Access;
import io.commguard.gateway.admin.AdminCertificate;
import io.commguard.gateway.admin.AdminServer;
import io.commguard.gateway.admin.AdminToken;
import io.commguard.gateway.admin.EvidenceRoutes;
import io.commguard.gateway.admin.ApiRoutes;
import io.commguard.gateway.admin.ReloadRoutes;
import io.commguard.gateway.admin.StatusRoutes;
import io.commguard.gateway.admin.auth.AuthRoutes;
import io.commguard.gateway.admin.auth.AuthService;
import io.commguard.gateway.admin.auth.UserStore;
import io.commguard.gateway.audit.Audit;
import io.commguard.gateway.admin.devices.CommissioningRoutes;
import io.commguard.gateway.admin.devices.DeviceRoutes;
import io.commguard.gateway.admin.devices.ProfileInfo;
import io.commguard.gateway.admin.devices.Provisioning;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.codec.DecodeSection;
import java.time.Duration;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.evidence.EvidenceStore;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.PrometheusMetrics;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.northbound.Delivery;
import io.commguard.gateway.northbound.Northbound;
import io.commguard.gateway.northbound.mqtt.MqttNorthbound;
import io.commguard.gateway.northbound.mqtt.MqttUplink;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.pipeline.Pipeline;
import io.commguard.gateway.model.DeviceState;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.profile.HeartbeatSectionParser;
import io.commguard.gateway.registry.DeviceChanges;
import io.commguard.gateway.registry.DeviceRegistry;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.rule.RuleEngine;
import io.commguard.gateway.security.PrivateFiles;
import io.commguard.gateway.source.Ingest;
import io.commguard.gateway.source.RunningSources;
import io.commguard.gateway.source.Source;
import io.commguard.gateway.source.SourceContext;
import io.commguard.gateway.source.SourceType;
import io.commguard.gateway.status.DeviceStatusBoard;
import io.commguard.gateway.status.SqliteStatusStore;
import io.commguard.gateway.validation.InvalidInputException;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.VertxOptions;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running gateway: source → decode → rules → outbox → uplink, started in the order that makes
 * the data path safe (the outbox and rules before any source, the uplink after the outbox) and
 * stopped in reverse, so nothing a device sent is acknowledged before it is durable.
 */
public final class Gateway implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Gateway.class.getName());
  private static final int TICK_MS = 1000;
  /** The gateway's release, as {@code --version} prints it and the heartbeat reports it. */
  public static final String VERSION = "0.1.0";
  /** The SQLite files of the data dir, created 0600 before SQLite opens them (it copies the mode to its journals). */
  private static final List<String> DATABASES = List.of("outbox.db", "devices.db", SqliteStatusStore.FILE_NAME);
  private static final RateLimitedLog TICK_FAILURES = new RateLimitedLog(LOG, 60_000);

  private final Counters counters = new Counters();
  private final List<AutoCloseable> stopOrder = new ArrayList<>();
  private Vertx vertx;
  private RuleEngine rules;
  private SqliteOutbox outbox;
  private List<Delivery> northbounds = List.of();
  private DeviceRegistry registry;
  private GatewayPlan plan;
  private DataDirLock dataDirLock;
  private GatewayMonitoring monitoring;
  private DeviceStatusBoard status;
  private Provisioning provisioning;
  private final RunningSources sources = new RunningSources();

  private Gateway() {}

  /** Starts everything the plan describes; on failure, closes what was already started. */
  public static Gateway start(GatewayPlan plan, Clock clock) throws Exception {
    return start(plan, clock, null);
  }

  /**
   * As {@link #start(GatewayPlan, Clock)}, for a plan read from {@code configFile}: the admin API's
   * {@code POST /reload} re-reads that file.
   */
  public static Gateway start(GatewayPlan plan, Clock clock, Path configFile) throws Exception {
    Gateway gateway = new Gateway();
    try {
      gateway.boot(plan, clock, configFile);
      return gateway;
    } catch (Exception | Error e) {
      gateway.close();
      throw e;
    }
  }

  private void boot(GatewayPlan plan, Clock clock, Path configFile) throws Exception {
    long started = System.nanoTime();
    this.plan = plan;
    GatewayConfig config = plan.config();
    Path dataDir = Path.of(config.dataDir());
    HashKey hashKey;
    List<Northbound> configured;
    try {
      PrivateFiles.trustedDirectory(dataDir);
      PrivateFiles.ownerOnlyFile(dataDir.resolve(DataDirLock.FILE_NAME));
      dataDirLock = DataDirLock.acquire(dataDir);
      hashKey = HashKey.loadOrCreate(dataDir);
      for (String database : DATABASES) {
        PrivateFiles.ownerOnlyFile(dataDir.resolve(database));
      }
      configured = Northbounds.configured(config); // reads the uplink's HMAC key, if any
    } catch (IllegalStateException e) {
      throw new StartRefusedException(e.getMessage());
    }
    LOG.log(Level.INFO, "Hash key loaded keyId=" + hashKey.id());

    monitoring = new GatewayMonitoring(new PrometheusMetrics(counters));
    outbox = new SqliteOutbox(config.outbox(), dataDir, config.gatewayId(), counters);
    outbox.start(configured.stream().map(Northbound::name).toList());
    monitoring.watchOutbox(outbox);
    registry = DeviceRegistry.open(dataDir, plan.deviceCheck());
    importDevices(config);
    List<DeviceConfig> active = registry.devices().values().stream().filter(RegisteredDevice::active)
        .map(RegisteredDevice::config).toList();
    rules = RuleEngine.open(config, active, plan.rules(), plan.rulesByProfile(), outbox.ruleState(), clock, counters);
    registry.listen(changes -> rules.devicesChanged(
        concat(changes.added(), changes.updated()).stream().map(RegisteredDevice::config).toList(),
        changes.removed().stream().map(RegisteredDevice::id).toList()));
    monitoring.watchRules(rules);
    status = new DeviceStatusBoard(clock);
    trackStatus(plan);
    // Appended: closed after the sources, so its last write has their last reports.
    stopOrder.add(SqliteStatusStore.open(dataDir, status, counters, SqliteStatusStore.DEFAULT_INTERVAL));
    registry.listen(changes -> trackStatus(plan));
    Pipeline pipeline = new Pipeline(new ObservedRules(rules, status), outbox, counters, outbox.receipts(),
        monitoring.ingestToCommit());
    // The first tick before any source: deconfigured episodes are cleared (and state imported from
    // an older release re-announced) at once, not a tick period later.
    pipeline.tick(clock.instant());

    int loops = Math.max(2, Runtime.getRuntime().availableProcessors());
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(4));
    ScheduledExecutorService retryTimer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ingest-retry"));
    stopOrder.add(retryTimer::shutdownNow);

    Ingest ingest = new Ingest(pipeline, counters, retryTimer, status);
    EvidenceStore evidence = EvidenceStore.open(config.evidence(), dataDir, counters, clock);
    stopOrder.add(evidence);
    for (SourceType type : plan.sources()) {
      startSource(type, plan, ingest, evidence, loops, hashKey, clock);
    }
    monitoring.sourcesStarted(plan.sources().stream().map(SourceType::name).toList(), registry);

    northbounds = configured.stream().map(n -> n.delivery(config.gatewayId(), outbox, counters)).toList();
    northbounds.forEach(Delivery::start);
    northbounds.stream().filter(n -> n.name().equals(MqttNorthbound.NAME)).findFirst().ifPresent(monitoring::watchUplink);
    DeviceChecks checks = plan.checks();
    provisioning = new Provisioning(registry, checks::logsIn);
    stopOrder.add(provisioning);
    startHeartbeat(config, configured, dataDir);
    if (config.admin().enabled()) {
      startAdmin(config, dataDir, evidence, clock, configFile);
    }
    // Its own thread: no worker pool (password checks, blocking handlers) can delay an auto-clear
    // or an offline alarm.
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rule-tick"));
    ticker.scheduleAtFixedRate(() -> tick(pipeline, clock), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    stopOrder.add(0, ticker::shutdownNow);
    LOG.log(Level.INFO, "Gateway ready gateway=" + config.gatewayId() + " devices=" + registry.devices().size()
        + " profiles=" + plan.profiles().size() + " startup_ms=" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** Every registered device, in service or not, gets a status entry; its profile's heartbeat sets when it reads offline. */
  private void trackStatus(GatewayPlan plan) {
    status.track(registry.devices().values().stream().map(d -> new DeviceStatusBoard.Tracked(d.id(),
        HeartbeatSectionParser.silenceLimit(plan.profiles().get(d.config().profile())),
        d.config().state() == DeviceState.COMMISSIONING)).toList());
  }

  /**
   * The admin API: users and API tokens from users.db (changes the CLI makes there are picked up
   * within 2 s), every change written to the audit log.
   */
  private void startAdmin(GatewayConfig config, Path dataDir, EvidenceStore evidence, Clock clock, Path configFile) {
    Optional<AdminToken> token = AdminToken.load(config.admin(), System.getenv());
    UserStore users = UserStore.open(dataDir, clock);
    stopOrder.add(users);
    AuthService auth = new AuthService(users, token, config.admin(), clock, System::nanoTime, counters);
    auth.reload();
    if (token.isEmpty() && auth.userCount() == 0) {
      LOG.log(Level.WARNING, "Admin API has no user and no admin token yet: create the first admin on this box with "
          + "gateway users add NAME --role admin --config CONFIG");
    }
    Audit audit = Audit.in(dataDir, clock);
    WorkerExecutor logins = vertx.createSharedWorkerExecutor("admin-login", 2);
    long refresh = vertx.setPeriodic(2000, id -> vertx.executeBlocking(() -> {
      auth.reloadIfChanged();
      return null;
    }, false).onFailure(e -> LOG.log(Level.WARNING, "Re-reading users.db failed error=" + e.getMessage())));
    List<ApiRoutes> areas = new ArrayList<>(List.of(
        new StatusRoutes(vertx, config.admin(), rules, counters, monitoring.metrics(), monitoring.readiness(), audit,
            clock),
        new AuthRoutes(auth, users, audit, logins),
        new EvidenceRoutes(evidence, audit),
        new DeviceRoutes(provisioning, status, profileInfos(plan), audit::record),
        new CommissioningRoutes(provisioning, sources, audit::record, clock)));
    if (configFile != null) { // the reload re-reads the file the gateway was started with
      areas.add(new ReloadRoutes(() -> {
        Reload r = reload(configFile);
        return new ReloadRoutes.Applied(r.devices(), r.needsRestart());
      }));
    }
    AdminServer admin = new AdminServer(vertx, config.admin(), new Access(auth, counters), counters,
        monitoring.readiness(), areas);
    if (config.admin().https()) {
      admin.tls(AdminCertificate.load(config.admin(), dataDir, clock));
    }
    admin.start().await();
    stopOrder.add(0, () -> {
      vertx.cancelTimer(refresh);
      admin.stop().await();
      logins.close().await();
    });
  }

  /** The profiles as the admin API lists them: event types, and the fields an MQTT profile decodes. */
  private static List<ProfileInfo> profileInfos(GatewayPlan plan) {
    return plan.profiles().values().stream().sorted(java.util.Comparator.comparing(DeviceProfile::id)).map(p -> {
      DecodeSection decode = p.section(DecodeSection.KEY, DecodeSection.class);
      List<String> fields = new ArrayList<>();
      if (decode != null) {
        decode.measurements().forEach(m -> fields.add(m.name()));
        decode.attributes().forEach(a -> fields.add(a.name()));
      }
      Duration heartbeat = p.section(HeartbeatSectionParser.KEY, Duration.class);
      return new ProfileInfo(p.id(), p.vendor(), p.model(), p.protocol(), p.description(),
          p.eventTypes().stream().map(Enum::name).toList(), fields, heartbeat == null ? HeartbeatSectionParser.DEFAULT : heartbeat);
    }).toList();
  }

  /** The {@code GatewayStatus} heartbeat over the MQTT uplink, unless {@code uplink.statusIntervalMs} is 0. */
  private void startHeartbeat(GatewayConfig config, List<Northbound> configured, Path dataDir) {
    if (config.uplink() == null || config.uplink().statusIntervalMs() == 0) {
      return;
    }
    configured.stream().map(Northbound::transport).filter(MqttUplink.class::isInstance).map(MqttUplink.class::cast)
        .findFirst().ifPresent(uplink -> {
          GatewayHeartbeat heartbeat = new GatewayHeartbeat(config.gatewayId(), VERSION,
              config.uplink().statusIntervalMs(), monitoring::statusChangeKey, () -> monitoring.statusFigures(dataDir),
              uplink::connected, uplink::publishStatus, counters);
          heartbeat.start();
          stopOrder.add(0, heartbeat);
        });
  }

  /** The config's devices become the registry's config devices; a clash with devices added at run time refuses the start. */
  private void importDevices(GatewayConfig config) throws InterruptedException {
    try {
      registry.importConfig(config.devices()).toCompletableFuture().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InvalidInputException invalid) {
        throw new StartRefusedException("The config's devices clash with devices added at run time: " + invalid.getMessage());
      }
      throw new IllegalStateException("Device registry import failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** Starts one source with its devices in service and subscribes it to the registry's changes. */
  private void startSource(SourceType type, GatewayPlan plan, Ingest ingest, EvidenceStore evidence, int loops,
      HashKey hashKey, Clock clock) throws Exception {
    List<RegisteredDevice> mine = registry.devices().values().stream()
        .filter(d -> d.active() && d.source().equals(type.name())).toList();
    Source source = type.start(new SourceContext(plan.config(), mine, plan.profiles(), ingest, vertx, loops, hashKey,
        counters, clock, evidence));
    stopOrder.add(0, source);
    sources.add(type.name(), source);
    registry.listen(changes -> {
      DeviceChanges own = changes.ofSource(type.name());
      if (!own.isEmpty()) {
        source.apply(own);
      }
    });
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * Re-reads the config file and applies its devices live (added ones can connect at once, removed
   * or disabled ones are disconnected, a changed one reconnects). Any other changed part is named in
   * the result, not applied: it takes a restart. The file is checked as a whole first; a file with
   * any problem changes nothing.
   *
   * @throws io.commguard.gateway.validation.InvalidInputException every problem of the new file
   */
  public synchronized Reload reload(Path configFile) throws Exception {
    GatewayPlan next = GatewayPlan.load(configFile);
    List<String> needsRestart = Reload.restartOnly(plan.config(), next.config());
    try {
      DeviceChanges changes = registry.importConfig(next.config().devices()).toCompletableFuture().get();
      return new Reload(changes, needsRestart);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** The live device registry: add, change, disable or remove devices without a restart. */
  public DeviceRegistry registry() {
    return registry;
  }

  /** A tick whose alerts could not be decided or stored: never silent, and the next tick still runs. */
  private void tickFailed(Throwable error) {
    counters.increment("tick_failed");
    TICK_FAILURES.log(Level.ERROR, "tick", "Rule tick failed, time-driven alerts of this tick may be late error=" + error);
  }

  /** Adding, changing, importing and exporting devices at run time. */
  public Provisioning provisioning() {
    return provisioning;
  }

  /** The live status of every registered device and the live feed of their events. */
  public DeviceStatusBoard status() {
    return status;
  }

  public Counters counters() {
    return counters;
  }

  public RuleEngine rules() {
    return rules;
  }

  /** One rule tick; a failure is counted and logged, never allowed to cancel the periodic task. */
  private void tick(Pipeline pipeline, Clock clock) {
    try {
      pipeline.tick(clock.instant()).whenComplete((ok, error) -> {
        if (error != null) {
          tickFailed(error);
        }
      });
    } catch (RuntimeException e) {
      tickFailed(e);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Stops sources and the rule tick first, then the uplink and the outbox; safe to call twice. */
  @Override
  public void close() {
    for (AutoCloseable c : stopOrder) {
      closeQuietly(c);
    }
    stopOrder.clear();
    rules = null;
    for (Delivery northbound : northbounds) {
      closeQuietly(northbound::stop);
    }
    northbounds = List.of();
    if (registry != null) {
      closeQuietly(registry);
      registry = null;
    }
    if (outbox != null) {
      closeQuietly(outbox::close);
      outbox = null;
    }
    if (vertx != null) {
      closeQuietly(() -> vertx.close().await());
      vertx = null;
    }
    if (monitoring != null) {
      closeQuietly(monitoring);
      monitoring = null;
    }
    if (dataDirLock != null) {
      closeQuietly(dataDirLock);
      dataDirLock = null;
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Error while stopping error=" + e);
    }
  }

}
