package io.commguard.gateway.northbound.mqtt;

import static io.commguard.gateway.outbox.Drafts.alarm;
import static io.commguard.gateway.outbox.Drafts.telemetry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.config.UplinkConfig;
import io.commguard.gateway.config.UplinkConfig.AckMode;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.northbound.Delivery;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.receiver.CityReceiver;
import io.commguard.gateway.testsupport.FaultFigures;
import io.commguard.gateway.testsupport.MosquittoBroker;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog of 1,000,000 alerts builds while the city broker is down and drains when it returns;
 * the heap stays bounded because the backlog lives in SQLite and only the in-flight window is held
 * in memory. The heap is measured after a full GC every second.
 */
class BacklogMemoryIT {
  private static final int BACKLOG = 1_000_000;
  private static final long HEAP_BOUND = 160L << 20;

  @TempDir Path dir;

  @Test
  void millionAlertBacklog_buildsAndDrains_inBoundedHeap() throws Exception {
    AtomicLong peakHeap = new AtomicLong();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleWithFixedDelay(() -> {
      System.gc();
      peakHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
    }, 0, 1, TimeUnit.SECONDS);

    Counters counters = new Counters();
    MosquittoBroker broker = MosquittoBroker.start(dir);
    broker.stop();
    SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir.resolve("gw"), "gw-backlog", counters);
    outbox.start(List.of("uplink"));
    Delivery uplink = MqttNorthbound.uplink(MqttNorthbound.NAME, new UplinkConfig(broker.url(), null, null, null, null, null, AckMode.PLATFORM,
        500, 20, 10_000, 8, null), "gw-backlog").delivery("gw-backlog", outbox, counters);
    uplink.start();
    AtomicLong levelOneReceived = new AtomicLong();
    CityReceiver receiver = new CityReceiver(CityReceiver.Options.of(broker.url(), dir.resolve("received.db")), a -> {
      if (a.getLevel() == 1) {
        levelOneReceived.incrementAndGet();
      }
    });
    try {
      long buildStart = System.nanoTime();
      int levelOne = 0;
      for (int chunk = 0; chunk < BACKLOG / 1000; chunk++) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int j = 0; j < 10; j++) {
          List<AlertDraft> drafts = new ArrayList<>(100);
          for (int k = 0; k < 100; k++) {
            boolean alarm = k == 0;
            drafts.add(alarm ? alarm("gas-" + j, CanonicalType.GAS_LEAK, 1) : telemetry("meter-" + k));
            levelOne += alarm ? 1 : 0;
          }
          done.add(outbox.append(drafts).toCompletableFuture());
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
      }
      double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
      assertThat(outbox.stats().toCompletableFuture().join().pendingRows()).isEqualTo(BACKLOG);

      long drainStart = System.nanoTime();
      broker.start();
      receiver.start();
      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
          .until(() -> outbox.stats().toCompletableFuture().join().pendingRows() == 0);
      double drainSeconds = (System.nanoTime() - drainStart) / 1e9;

      CityReceiver.Stats stats = receiver.stats();
      assertThat(stats.stored()).isEqualTo(BACKLOG);
      assertThat(levelOneReceived.get()).isEqualTo(levelOne);
      assertThat(peakHeap.get()).as("peak heap after GC").isLessThan(HEAP_BOUND);
      FaultFigures.record("backlog-1M", String.format(
          "produced=%d received=%d lost=%d duplicatesBeforeDedup=%d buildRate=%.0f/s drainRate=%.0f/s peakHeapMiB=%d",
          BACKLOG, stats.stored(), BACKLOG - stats.stored(), stats.duplicates(), BACKLOG / buildSeconds,
          BACKLOG / drainSeconds, peakHeap.get() >> 20));
    } finally {
      sampler.shutdownNow();
      uplink.stop();
      outbox.close();
      receiver.close();
      broker.stop();
    }
  }
}
