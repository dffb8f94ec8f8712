package io.commguard.gateway;

import io.commguard.gateway.admin.Readiness;
import io.commguard.gateway.admin.Readiness.Result;
import io.commguard.gateway.model.DeviceState;
import io.commguard.gateway.registry.DeviceRegistry;
import io.commguard.gateway.metrics.LatencyRecorder;
import io.commguard.gateway.metrics.PrometheusMetrics;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.outbox.OutboxFigures;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.rule.RuleEngine;
import io.commguard.gateway.northbound.Delivery;
import io.commguard.gateway.wire.StatusMessage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.TreeMap;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the operator sees of the running gateway: the gauges and histograms of {@code /metrics}
 * beyond the counters, and the readiness checks of {@code /readyz}. Every figure is read at scrape
 * or probe time from the stage that owns it; nothing here is on the data path.
 */
final class GatewayMonitoring implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(GatewayMonitoring.class.getName());
  private static final RateLimitedLog FAILURES = new RateLimitedLog(LOG, 60_000);
  /** Longest a scrape waits for the outbox writer; a busier writer leaves the previous figures. */
  private static final long OUTBOX_READ_TIMEOUT_MS = 2_000;
  private static final Duration[] COMMIT_BUCKETS = seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
      2.5, 5, 10);
  private static final Duration[] ACK_BUCKETS = seconds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
      900, 3600, 21600, 86400);

  private final PrometheusMetrics metrics;
  private final Readiness readiness = new Readiness();
  private final LatencyRecorder ingestToCommit;
  private final long startedNanos = System.nanoTime();
  private volatile OutboxReadings outboxReadings;
  private volatile List<String> sources = List.of();
  private volatile DeviceRegistry registry;
  private volatile Delivery uplink;

  GatewayMonitoring(PrometheusMetrics metrics) {
    this.metrics = metrics;
    this.ingestToCommit = metrics.histogram("ingest_to_commit", "From a device publish's arrival at the pipeline to "
        + "the durable commit of its decision (what a device waits for its acknowledgement)", COMMIT_BUCKETS);
  }

  PrometheusMetrics metrics() {
    return metrics;
  }

  Readiness readiness() {
    return readiness;
  }

  LatencyRecorder ingestToCommit() {
    return ingestToCommit;
  }

  /**
   * Backlog gauges per send priority, the commit-to-acknowledgement histogram (read from the
   * outbox's delivery history, from now on) and the outbox readiness check. Blocks once for the
   * first reading: call at boot.
   */
  void watchOutbox(SqliteOutbox outbox) throws Exception {
    LatencyRecorder commitToAck = metrics.histogram("commit_to_ack", "From an alert's commit to the outbox to the "
        + "city platform's acknowledgement (or the broker's, in broker-ack mode)", ACK_BUCKETS);
    OutboxReadings readings = new OutboxReadings(outbox, commitToAck);
    outboxReadings = readings;
    for (int p = 1; p <= OutboxFigures.PRIORITIES; p++) {
      int priority = p;
      String label = Integer.toString(p);
      metrics.gauge("outbox_pending", "Undelivered alerts by send priority (1 = most urgent)", "priority", label,
          () -> readings.latest().pending(priority));
      metrics.gauge("outbox_oldest_age_seconds", "Age of the oldest undelivered alert by send priority, 0 when none",
          "priority", label, () -> readings.oldestAgeSeconds(priority));
    }
    metrics.beforeScrape(readings::refresh);
    readiness.register("outbox", () -> outbox.writeRefusal().thenApply(refusal -> refusal != null
        ? Result.down("level 1/2 alarms refused: " + refusal)
        : outbox.hasRoom() ? Result.up("accepting alerts")
        : Result.degraded("commit queue at outbox.queueCapacity: devices are asked to retransmit")));
  }

  /** Open alarm episodes per level, as counted at the engine's last tick. */
  void watchRules(RuleEngine rules) {
    for (int level = 1; level <= 4; level++) {
      int l = level;
      metrics.gauge("episodes_open", "Open (raised, not yet cleared) alarm episodes by level", "level",
          Integer.toString(level), () -> rules.openEpisodes(l));
    }
  }

  /**
   * The sources started at boot (a source that failed to start stopped the boot, so they are all
   * running), with how many devices each serves now, and the registry's devices by state.
   */
  void sourcesStarted(List<String> sources, DeviceRegistry registry) {
    this.sources = List.copyOf(sources);
    this.registry = registry;
    metrics.gauge("devices_configured", "Devices in the registry, in service or not", () -> registry.devices().size());
    for (DeviceState state : DeviceState.values()) {
      metrics.gauge("devices", "Devices in the registry by state", "state", state.name().toLowerCase(Locale.ROOT),
          () -> registry.devices().values().stream().filter(d -> d.config().state() == state).count());
    }
    readiness.register("sources", () -> CompletableFuture.completedFuture(Result.up("started: " + sources.stream()
        .map(name -> name + " (" + registry.devices().values().stream()
            .filter(d -> d.active() && d.source().equals(name)).count() + " devices)")
        .collect(java.util.stream.Collectors.joining(", ")))));
  }

  /** The MQTT uplink's state: a lost uplink leaves the gateway ready (alerts wait in the outbox) but degraded. */
  void watchUplink(Delivery uplink) {
    this.uplink = uplink;
    metrics.gauge("uplink_healthy", "1 while the uplink is connected and its acks arrive in time, else 0",
        () -> uplink.healthy() ? 1 : 0);
    readiness.register("uplink", () -> CompletableFuture.completedFuture(uplink.healthy()
        ? Result.up("connected, acknowledgements in time")
        : Result.degraded("not connected or acknowledgements late; alerts wait in the outbox")));
  }

  /**
   * The hook for the device registry: one gauge {@code commguard_devices{state=...}} per state it
   * knows, each counting the devices in that state at scrape time. State names are the registry's
   * own, a small fixed set.
   */
  void watchDeviceStates(Map<String, Supplier<Number>> devicesByState) {
    devicesByState.forEach((state, count) ->
        metrics.gauge("devices", "Devices by state", "state", state, count));
  }

  /** What the heartbeat's change check compares each second: cheap, in memory. */
  Object statusChangeKey() {
    return List.of(devicesByState(), sourceFigures().stream().map(s -> s.name() + "=" + s.up()).toList(),
        uplink != null && uplink.healthy());
  }

  /**
   * The figures of a {@code GatewayStatus}: reads the outbox (waits for its writer, bounded) and the
   * free space of {@code dataDir}. Call on the heartbeat's thread.
   */
  StatusMessage.Figures statusFigures(Path dataDir) {
    List<StatusMessage.Backlog> backlog = new ArrayList<>();
    OutboxReadings readings = outboxReadings;
    if (readings != null) {
      readings.refresh();
      for (int p = 1; p <= OutboxFigures.PRIORITIES; p++) {
        backlog.add(new StatusMessage.Backlog(p, readings.latest().pending(p),
            Math.round(readings.oldestAgeSeconds(p) * 1000)));
      }
    }
    long diskFree;
    try {
      diskFree = Files.getFileStore(dataDir).getUsableSpace();
    } catch (IOException e) {
      diskFree = 0;
    }
    return new StatusMessage.Figures(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos), backlog,
        devicesByState(), sourceFigures(), uplink != null && uplink.healthy(), diskFree);
  }

  private Map<String, Integer> devicesByState() {
    Map<String, Integer> out = new TreeMap<>();
    DeviceRegistry r = registry;
    for (DeviceState state : DeviceState.values()) {
      out.put(state.name().toLowerCase(Locale.ROOT), r == null ? 0
          : (int) r.devices().values().stream().filter(d -> d.config().state() == state).count());
    }
    return out;
  }

  /** A source that failed to start stops the boot, so every source listed runs. */
  private List<StatusMessage.Source> sourceFigures() {
    DeviceRegistry r = registry;
    return sources.stream().map(name -> new StatusMessage.Source(name, true, r == null ? 0
        : (int) r.devices().values().stream().filter(d -> d.active() && d.source().equals(name)).count())).toList();
  }

  @Override
  public void close() {
    metrics.close();
  }

  /**
   * The latest outbox figures, refreshed before each scrape. One reading at a time: a reading that
   * outlasts a scrape's patience still completes and moves the delivery cursor, and the next scrape
   * waits for it instead of reading the same deliveries twice.
   */
  private static final class OutboxReadings {
    private final SqliteOutbox outbox;
    private final LatencyRecorder commitToAck;
    private volatile OutboxFigures latest;
    private CompletableFuture<OutboxFigures> reading;

    OutboxReadings(SqliteOutbox outbox, LatencyRecorder commitToAck) throws Exception {
      this.outbox = outbox;
      this.commitToAck = commitToAck;
      this.reading = outbox.figures(-1, ms -> {}).toCompletableFuture();
      this.latest = reading.get(OUTBOX_READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    OutboxFigures latest() {
      return latest;
    }

    double oldestAgeSeconds(int priority) {
      long oldest = latest.oldestCommittedMs(priority);
      return oldest < 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
    }

    synchronized void refresh() {
      if (reading.isDone()) {
        reading = outbox.figures(latest.readAtMs(), ms -> commitToAck.recordNanos(TimeUnit.MILLISECONDS.toNanos(ms)))
            .toCompletableFuture().thenApply(figures -> latest = figures);
      }
      try {
        reading.get(OUTBOX_READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        FAILURES.log(Level.WARNING, "outbox_figures", "Outbox figures not read for this scrape; the gauges show "
            + "the previous reading error=" + e);
      }
    }
  }

  private static Duration[] seconds(double... bounds) {
    Duration[] out = new Duration[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      out[i] = Duration.ofNanos(Math.round(bounds[i] * 1e9));
    }
    return out;
  }
}
