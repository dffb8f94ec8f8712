package io.commguard.gateway;

import io.commguard.gateway.admin.AdminServer;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.DeviceEndpointConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.PrometheusMetrics;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.northbound.Delivery;
import io.commguard.gateway.northbound.Northbound;
import io.commguard.gateway.northbound.mqtt.MqttNorthbound;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.pipeline.Pipeline;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.profile.codec.ProfilePayloadDecoder;
import io.commguard.gateway.rule.RuleEngine;
import io.commguard.gateway.security.DeviceAuthenticator;
import io.commguard.gateway.security.PrivateFiles;
import io.commguard.gateway.security.VerifiedPasswords;
import io.commguard.gateway.source.modbus.ModbusSource;
import io.commguard.gateway.source.mqtt.ConnectionLimits;
import io.commguard.gateway.source.mqtt.DeviceBinding;
import io.commguard.gateway.source.mqtt.DeviceEndpoint;
import io.commguard.gateway.source.mqtt.MqttIngest;
import io.commguard.gateway.source.mqtt.SiteBrokerSource;
import io.commguard.gateway.topic.TopicFilter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  /** The SQLite files of the data dir, created 0600 before SQLite opens them (it copies the mode to its journals). */
  private static final List<String> DATABASES = List.of("outbox.db");
  private static final RateLimitedLog TICK_FAILURES = new RateLimitedLog(LOG, 60_000);

  private final Counters counters = new Counters();
  private final List<AutoCloseable> stopOrder = new ArrayList<>();
  private Vertx vertx;
  private RuleEngine rules;
  private SqliteOutbox outbox;
  private List<Delivery> northbounds = List.of();
  private DataDirLock dataDirLock;
  private GatewayMonitoring monitoring;

  private Gateway() {}

  /** Starts everything the plan describes; on failure, closes what was already started. */
  public static Gateway start(GatewayPlan plan, Clock clock) throws Exception {
    Gateway gateway = new Gateway();
    try {
      gateway.boot(plan, clock);
      return gateway;
    } catch (Exception | Error e) {
      gateway.close();
      throw e;
    }
  }

  private void boot(GatewayPlan plan, Clock clock) throws Exception {
    long started = System.nanoTime();
    GatewayConfig config = plan.config();
    Path dataDir = Path.of(config.dataDir());
    HashKey hashKey;
    try {
      PrivateFiles.trustedDirectory(dataDir);
      PrivateFiles.ownerOnlyFile(dataDir.resolve(DataDirLock.FILE_NAME));
      dataDirLock = DataDirLock.acquire(dataDir);
      hashKey = HashKey.loadOrCreate(dataDir);
      for (String database : DATABASES) {
        PrivateFiles.ownerOnlyFile(dataDir.resolve(database));
      }
    } catch (IllegalStateException e) {
      throw new StartRefusedException(e.getMessage());
    }
    LOG.log(Level.INFO, "Hash key loaded keyId=" + hashKey.id());

    monitoring = new GatewayMonitoring(new PrometheusMetrics(counters));
    List<Northbound> configured = Northbounds.configured(config);
    outbox = new SqliteOutbox(config.outbox(), dataDir, config.gatewayId(), counters);
    outbox.start(configured.stream().map(Northbound::name).toList());
    monitoring.watchOutbox(outbox);
    rules = RuleEngine.open(config, plan.rules(), plan.rulesByProfile(), outbox.ruleState(), clock, counters);
    monitoring.watchRules(rules);
    Pipeline pipeline = new Pipeline(rules, outbox, counters, outbox.receipts(), monitoring.ingestToCommit());
    // The first tick before any source: deconfigured episodes are cleared (and state imported from
    // an older release re-announced) at once, not a tick period later.
    pipeline.tick(clock.instant());

    int loops = Math.max(2, Runtime.getRuntime().availableProcessors());
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(4));
    ScheduledExecutorService retryTimer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ingest-retry"));
    stopOrder.add(retryTimer::shutdownNow);

    Map<String, DeviceBinding> bindings = mqttBindings(plan, hashKey);
    MqttIngest ingest = new MqttIngest(pipeline, counters, clock, config.deviceEndpoint().maxPayloadBytes(), retryTimer);
    startSources(plan, bindings, ingest, pipeline, loops);
    monitoring.sourcesStarted(config);

    northbounds = configured.stream().map(n -> n.delivery(config.gatewayId(), outbox, counters)).toList();
    northbounds.forEach(Delivery::start);
    northbounds.stream().filter(n -> n.name().equals(MqttNorthbound.NAME)).findFirst().ifPresent(monitoring::watchUplink);
    if (config.admin().enabled()) {
      AdminServer admin = new AdminServer(vertx, config.admin(), AdminServer.loadToken(config.admin(), System.getenv()),
          rules, counters, monitoring.metrics(), monitoring.readiness(), clock);
      admin.start().await();
      stopOrder.add(0, () -> admin.stop().await());
    }
    // Its own thread: no worker pool (password checks, blocking handlers) can delay an auto-clear
    // or an offline alarm.
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rule-tick"));
    ticker.scheduleAtFixedRate(() -> tick(pipeline, clock), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    stopOrder.add(0, ticker::shutdownNow);
    LOG.log(Level.INFO, "Gateway ready gateway=" + config.gatewayId() + " devices=" + config.devices().size()
        + " profiles=" + plan.profiles().size() + " startup_ms=" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private void startSources(GatewayPlan plan, Map<String, DeviceBinding> bindings, MqttIngest ingest,
      Pipeline pipeline, int loops) throws Exception {
    GatewayConfig config = plan.config();
    if (config.deviceEndpoint().enabled()) {
      DeviceEndpointConfig endpoint = config.deviceEndpoint();
      VerifiedPasswords verified = endpoint.auth().rememberLogins()
          ? VerifiedPasswords.durable(Path.of(config.dataDir())) : new VerifiedPasswords();
      stopOrder.add(0, verified);
      List<String> hashes = bindings.values().stream().map(DeviceBinding::passwordHash).filter(Objects::nonNull).toList();
      DeviceAuthenticator authenticator = new DeviceAuthenticator(endpoint.auth().policy(), verified, System::nanoTime, hashes);
      stopOrder.add(0, authenticator);
      ConnectionLimits limits = new ConnectionLimits(endpoint.limits().maxConnections(), endpoint.limits().maxConnectionsPerAddress());
      String deployment = vertx.deployVerticle(() -> new DeviceEndpoint(endpoint, bindings, ingest, authenticator, limits, counters),
          new DeploymentOptions().setInstances(loops)).await();
      stopOrder.add(0, () -> vertx.undeploy(deployment).await());
      if (endpoint.plaintextOffLoopback()) {
        LOG.log(Level.WARNING, "Device endpoint is plaintext on a network address (deviceEndpoint.allowPlaintext): "
            + "device passwords and alarms cross the LAN unencrypted; configure deviceEndpoint.tls host=" + endpoint.host());
      }
      LOG.log(Level.INFO, "Device endpoint listening host=" + config.deviceEndpoint().host() + " port=" + config.deviceEndpoint().port());
    }
    if (config.externalBroker() != null) {
      SiteBrokerSource site = new SiteBrokerSource(config.externalBroker(), config.gatewayId() + "-site", bindings, ingest, counters);
      stopOrder.add(0, site);
      site.start();
    }
    if (config.devices().stream().anyMatch(d -> d.modbus() != null)) {
      ModbusSource modbus = ModbusSource.fromConfig(config, plan.profiles(), pipeline, counters);
      stopOrder.add(0, modbus);
      modbus.start();
    }
  }

  private Map<String, DeviceBinding> mqttBindings(GatewayPlan plan, HashKey hashKey) {
    Map<String, PayloadDecoder> decoders = new HashMap<>();
    Map<String, DeviceBinding> bindings = new HashMap<>();
    for (DeviceConfig d : plan.config().devices()) {
      if (d.modbus() != null) {
        continue;
      }
      DeviceProfile profile = plan.profiles().get(d.profile());
      PayloadDecoder decoder = decoders.computeIfAbsent(d.profile(), id -> ProfilePayloadDecoder.create(profile, hashKey, counters));
      DeviceRef ref = new DeviceRef(d.id(), d.profile(), profile.vendor() + " " + profile.model(), d.site(), d.location());
      bindings.put(d.id(), new DeviceBinding(ref, decoder, new TopicFilter(d.topicFilter()), d.passwordHash()));
    }
    return Map.copyOf(bindings);
  }

  /** A tick whose alerts could not be decided or stored: never silent, and the next tick still runs. */
  private void tickFailed(Throwable error) {
    counters.increment("tick_failed");
    TICK_FAILURES.log(Level.ERROR, "tick", "Rule tick failed, time-driven alerts of this tick may be late error=" + error);
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
