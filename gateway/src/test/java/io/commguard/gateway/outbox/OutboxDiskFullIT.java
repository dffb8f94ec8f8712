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
import io.commguard.gateway.pipeline.OverloadedException;
import io.commguard.gateway.testsupport.SmallTmpfs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox on a real, really full file system (a 4 MiB tmpfs), then given space back. */
class OutboxDiskFullIT {
  @TempDir Path dir;

  @Test
  void diskFull_refusesAlarms_shedsTelemetry_keepsRunning_andRecovers() throws Exception {
    SmallTmpfs tmpfs = SmallTmpfs.mount(dir.resolve("data"), "4m");
    assumeTrue(tmpfs != null, SmallTmpfs.lastSkipReason());
    Counters counters = new Counters();
    SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, tmpfs.path(), "gw-disk", counters);
    try (tmpfs) {
      outbox.start();
      List<String> committedAlarms = new ArrayList<>();
      Path filler = tmpfs.path().resolve("filler");
      fillUntilFull(filler);

      boolean refused = false;
      for (int i = 0; i < 20_000 && !refused; i++) {
        outbox.append(List.of(telemetry("meter-" + i % 20))).toCompletableFuture().join();
        AlertDraft a = alarm("gas-" + i % 5, CanonicalType.GAS_LEAK, 1);
        try {
          outbox.append(List.of(a)).toCompletableFuture().join();
          committedAlarms.add(a.alertId());
        } catch (CompletionException e) {
          assertThat(e).hasCauseInstanceOf(OverloadedException.class);
          refused = true;
        }
      }
      assertThat(refused).as("an alarm is refused once the disk is full").isTrue();
      assertThat(counters.get("outbox_disk_full")).isEqualTo(1);

      Files.delete(filler);

      AlertDraft after = alarm("gas-1", CanonicalType.FIRE_SMOKE, 1);
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
          .until(() -> outbox.append(List.of(after)).toCompletableFuture().thenApply(v -> true).join());
      List<Alert> rows = new ArrayList<>();
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        for (OutboxRow r : outbox.nextBatch(100_000).toCompletableFuture().join()) {
          rows.add(Alert.parseFrom(r.payload()));
        }
        return rows.stream().anyMatch(a -> a.getType() == AlertType.GATEWAY_FAULT && a.getState() == AlertState.CLEARED);
      });
      List<String> ids = rows.stream().map(Alert::getAlertId).toList();
      assertThat(ids).containsAll(committedAlarms).contains(after.alertId());
      assertThat(rows).anyMatch(a -> a.getType() == AlertType.GATEWAY_FAULT && a.getState() == AlertState.RAISED);
    } finally {
      outbox.close();
    }
  }

  @Test
  void diskFull_concurrentAppenders_everyAcceptedAlarmIsStored() throws Exception {
    SmallTmpfs tmpfs = SmallTmpfs.mount(dir.resolve("data2"), "4m");
    assumeTrue(tmpfs != null, SmallTmpfs.lastSkipReason());
    SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, tmpfs.path(), "gw-disk", new Counters());
    try (tmpfs) {
      outbox.start();
      java.util.Set<String> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();
      java.util.concurrent.atomic.AtomicLong refusedCount = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 10; t++) {
        int device = t;
        Thread th = new Thread(() -> {
          for (int i = 0; i < 300; i++) {
            AlertDraft a = alarm("gas-" + device, CanonicalType.GAS_LEAK, 1);
            try {
              outbox.append(List.of(a)).toCompletableFuture().join();
              accepted.add(a.alertId());
            } catch (CompletionException e) {
              refusedCount.incrementAndGet();
            }
            if (device == 0 && i == 50) {
              fillUntilFull(tmpfs.path().resolve("filler"));
              full.set(true);
            }
            if (device == 0 && i == 200) {
              try {
                Files.delete(tmpfs.path().resolve("filler"));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          }
        });
        th.start();
        threads.add(th);
      }
      for (Thread th : threads) {
        th.join();
      }
      assertThat(refusedCount.get()).isPositive();
      List<String> stored = new ArrayList<>();
      for (OutboxRow r : outbox.nextBatch(100_000).toCompletableFuture().join()) {
        stored.add(Alert.parseFrom(r.payload()).getAlertId());
      }
      assertThat(stored).containsAll(accepted);
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
