package io.commguard.bench;

import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.config.UplinkConfig;
import io.commguard.gateway.config.UplinkConfig.AckMode;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.northbound.Delivery;
import io.commguard.gateway.northbound.mqtt.MqttNorthbound;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.receiver.CityReceiver;
import io.commguard.gateway.testsupport.MosquittoBroker;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code backlog} scenario: the outbox's memory bound. {@code alerts} alerts (1 % level-1
 * alarms, the rest telemetry) are committed while the city broker is down, then the broker returns
 * and the backlog drains to the reference receiver. Outbox, MQTT uplink and receiver run in the
 * harness's JVM as the gateway wires them; the backlog lives in SQLite and only the uplink's
 * in-flight window (batches of 500, 8 in flight) in memory, so the live heap stays bounded
 * whatever the backlog. The heap is read after a full GC every second, from before the build to the
 * end of the drain; the baseline (the harness's own live heap before the scenario) is reported
 * beside the peak.
 */
final class BacklogHeap {
  private static final String GATEWAY_ID = "gw-backlog";
  private static final Site SITE = new Site("310115001", "G-07", "3", "1", "5", "502");
  private static final Duration DRAIN_LIMIT = Duration.ofMinutes(10);

  private BacklogHeap() {}

  static Map<String, Object> run(Path work, int alerts) throws Exception {
    Path dir = Scenarios.freshDir(work.resolve("backlog"));
    AtomicLong peakHeap = new AtomicLong();
    long baseline = liveHeapBytes();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleWithFixedDelay(() -> peakHeap.accumulateAndGet(liveHeapBytes(), Math::max), 0, 1, TimeUnit.SECONDS);

    Counters counters = new Counters();
    MosquittoBroker city = MosquittoBroker.start(Files.createDirectories(dir.resolve("city-broker")));
    city.stop();
    SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir.resolve("data"), GATEWAY_ID, counters);
    outbox.start(List.of(MqttNorthbound.NAME));
    Delivery uplink = MqttNorthbound.uplink(MqttNorthbound.NAME, new UplinkConfig(city.url(), null, null, null, null, null,
        AckMode.PLATFORM, 500, 20, 10_000, 8, null), GATEWAY_ID).delivery(GATEWAY_ID, outbox, counters);
    uplink.start();
    AtomicLong levelOneReceived = new AtomicLong();
    CityReceiver receiver = new CityReceiver(CityReceiver.Options.of(city.url(), dir.resolve("received.db")), a -> {
      if (a.getLevel() == 1) {
        levelOneReceived.incrementAndGet();
      }
    });
    try {
      long t0 = System.nanoTime();
      long levelOne = build(outbox, alerts);
      double buildSeconds = (System.nanoTime() - t0) / 1e9;
      long pendingAtReturn = pending(outbox);

      long t1 = System.nanoTime();
      city.start();
      receiver.start();
      long deadline = t1 + DRAIN_LIMIT.toNanos();
      while (pending(outbox) > 0 && System.nanoTime() < deadline) {
        Pause.millis(100);
      }
      double drainSeconds = (System.nanoTime() - t1) / 1e9;
      peakHeap.accumulateAndGet(liveHeapBytes(), Math::max);

      CityReceiver.Stats stats = receiver.stats();
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("backlog_alerts", alerts);
      r.put("pending_when_city_returned", pendingAtReturn);
      r.put("received_alerts", stats.stored());
      r.put("level1_alerts", levelOne);
      r.put("level1_received", levelOneReceived.get());
      r.put("duplicates_at_city", stats.duplicates());
      r.put("zero_loss", pendingAtReturn == alerts && stats.stored() == alerts && levelOneReceived.get() == levelOne);
      r.put("build_alerts_per_s", Scenarios.round(alerts / buildSeconds));
      r.put("drain_alerts_per_s", Scenarios.round(alerts / drainSeconds));
      r.put("baseline_heap_mib", Scenarios.round(baseline / 1048576.0));
      r.put("peak_heap_mib", Scenarios.round(peakHeap.get() / 1048576.0));
      return r;
    } finally {
      sampler.shutdownNow();
      uplink.stop();
      outbox.close();
      receiver.close();
      city.stop();
    }
  }

  /** Appends the backlog in chunks of ten 100-alert appends, each led by a level-1 alarm; returns how many level-1. */
  private static long build(SqliteOutbox outbox, int alerts) {
    long levelOne = 0;
    for (int done = 0; done < alerts; done += 1000) {
      List<CompletableFuture<Void>> commits = new ArrayList<>();
      for (int j = 0; j < 10 && done + j * 100 < alerts; j++) {
        List<AlertDraft> drafts = new ArrayList<>(100);
        for (int k = 0; k < 100 && done + j * 100 + k < alerts; k++) {
          drafts.add(k == 0 ? alarm("gas-" + j) : reading("meter-" + k));
          levelOne += k == 0 ? 1 : 0;
        }
        commits.add(outbox.append(drafts).toCompletableFuture());
      }
      CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).join();
    }
    return levelOne;
  }

  private static long pending(SqliteOutbox outbox) {
    return outbox.stats().toCompletableFuture().join().pendingRows();
  }

  private static long liveHeapBytes() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static AlertDraft alarm(String deviceId) {
    return new AlertDraft(UUID.randomUUID().toString(), device(deviceId), EventKind.ALARM, CanonicalType.GAS_LEAK, 1,
        AlertState.RAISED, "high", Instant.now(), Instant.now(), List.of(new Measurement("concentration", 52.0, "%LEL")),
        List.of(), Map.of("gas", "CH4"), "High gas alarm (second set point)");
  }

  private static AlertDraft reading(String deviceId) {
    return new AlertDraft(UUID.randomUUID().toString(), device(deviceId), EventKind.TELEMETRY, CanonicalType.READING, 4,
        AlertState.RAISED, "reading", Instant.now(), Instant.now(), List.of(new Measurement("concentration", 3.0, "%LEL")),
        List.of(), Map.of(), "");
  }

  private static DeviceRef device(String id) {
    return new DeviceRef(id, "generic-nbiot-gas-detector", "bench", SITE, "B3 stairwell 5F");
  }
}
