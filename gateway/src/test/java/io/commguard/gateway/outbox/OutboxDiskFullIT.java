package io.commguard.gateway.outbox;

import static io.commguard.gateway.outbox.Drafts.alarm;
import static io.commguard.gateway.outbox.Drafts.telemetry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertState;
import io.commguard.alert.v1.AlertType;
import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.testsupport.SmallTmpfs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox on a real, really full file system (a 4 MiB tmpfs), then given space back. */
class OutboxDiskFullIT {
  @TempDir Path dir;

  @Test
  void diskFull_alarmsWait_keepsRunning_andCommitsThemWhenSpaceReturns() throws Exception {
    SmallTmpfs tmpfs = SmallTmpfs.mount(dir.resolve("data"), "4m");
    assumeTrue(tmpfs != null, SmallTmpfs.lastSkipReason());
    Counters counters = new Counters();
    SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, tmpfs.path(), "gw-disk", counters);
    try (tmpfs) {
      outbox.start(List.of("uplink"));
      List<String> alarms = new ArrayList<>();
      List<CompletableFuture<Void>> appends = new ArrayList<>();
      Path filler = tmpfs.path().resolve("filler");
      fillUntilFull(filler);

      CompletableFuture<Void> waiting = null;
      for (int i = 0; i < 20_000 && waiting == null; i++) {
        appends.add(outbox.append(List.of(telemetry("meter-" + i % 20))).toCompletableFuture());
        AlertDraft a = alarm("gas-" + i % 5, CanonicalType.GAS_LEAK, 1);
        CompletableFuture<Void> f = outbox.append(List.of(a)).toCompletableFuture();
        appends.add(f);
        alarms.add(a.alertId());
        outbox.stats().toCompletableFuture().join(); // the writer has tried to commit both
        if (!f.isDone()) {
          waiting = f;
        }
      }
      assertThat(waiting).as("an alarm waits once the disk is full").isNotNull();
      assertThat(waiting).isNotCompletedExceptionally();
      assertThat(counters.get("outbox_disk_full")).isEqualTo(1);

      Files.delete(filler);

      await().atMost(Duration.ofSeconds(10)).until(() -> appends.stream().allMatch(CompletableFuture::isDone));
      assertThat(appends).noneMatch(CompletableFuture::isCompletedExceptionally);
      List<Alert> rows = new ArrayList<>();
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        for (OutboxRow r : outbox.cursor("uplink").nextBatch(100_000).toCompletableFuture().join()) {
          rows.add(Alert.parseFrom(r.payload()));
        }
        return rows.stream().anyMatch(a -> a.getType() == AlertType.GATEWAY_FAULT && a.getState() == AlertState.CLEARED);
      });
      assertThat(rows.stream().map(Alert::getAlertId).toList()).as("every alarm, none refused").containsAll(alarms);
      assertThat(rows).anyMatch(a -> a.getType() == AlertType.GATEWAY_FAULT && a.getState() == AlertState.RAISED);
    } finally {
      outbox.close();
    }
  }

  @Test
  void diskFull_concurrentAppenders_everyAlarmIsStored() throws Exception {
    SmallTmpfs tmpfs = SmallTmpfs.mount(dir.resolve("data2"), "16m");
    assumeTrue(tmpfs != null, SmallTmpfs.lastSkipReason());
    Counters counters = new Counters();
    SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, tmpfs.path(), "gw-disk", counters);
    try (tmpfs) {
      outbox.start(List.of("uplink"));
      java.util.Set<String> appended = java.util.concurrent.ConcurrentHashMap.newKeySet();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 10; t++) {
        int device = t;
        Thread th = new Thread(() -> {
          for (int i = 0; i < 300; i++) {
            AlertDraft a = alarm("gas-" + device, CanonicalType.GAS_LEAK, 1);
            outbox.append(List.of(a)).toCompletableFuture().join();
            appended.add(a.alertId());
          }
        });
        th.start();
        threads.add(th);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> appended.size() >= 200);
      Path filler = tmpfs.path().resolve("filler");
      fillUntilFull(filler);
      await().atMost(Duration.ofSeconds(30)).until(() -> counters.get("outbox_disk_full") > 0 || appended.size() == 3000);
      Files.delete(filler);
      for (Thread th : threads) {
        th.join(60_000);
      }
      assertThat(threads).noneMatch(Thread::isAlive);
      assertThat(appended).hasSize(3000);
      List<String> stored = new ArrayList<>();
      for (OutboxRow r : outbox.cursor("uplink").nextBatch(100_000).toCompletableFuture().join()) {
        stored.add(Alert.parseFrom(r.payload()).getAlertId());
      }
      assertThat(stored).containsAll(appended);
    } finally {
      outbox.close();
    }
  }

  private static void fillUntilFull(Path filler) {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException expectedWhenFull) {
      // The file system is full now.
    }
  }
}
