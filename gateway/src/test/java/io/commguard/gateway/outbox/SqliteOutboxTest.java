package io.commguard.gateway.outbox;

import static io.commguard.gateway.outbox.Drafts.alarm;
import static io.commguard.gateway.outbox.Drafts.telemetry;
import static io.commguard.gateway.outbox.OutboxFixture.decode;
import static io.commguard.gateway.outbox.OutboxFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.Alert;
import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.testsupport.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SqliteOutboxTest {
  @TempDir Path dir;
  @RegisterExtension final OutboxFixture outboxes = new OutboxFixture();
  private final Counters counters = outboxes.counters;

  private SqliteOutbox open(OutboxConfig config) {
    return outboxes.open(dir, config, "uplink");
  }

  @Test
  void append_numbersAlertsAndEncodesThem() {
    SqliteOutbox outbox = open(OutboxConfig.DEFAULTS);
    AlertDraft gas = alarm("gas-1", CanonicalType.GAS_LEAK, 1);
    join(outbox.append(List.of(gas, alarm("gas-1", CanonicalType.GAS_LEAK, 1))));

    List<OutboxRow> rows = join(outbox.cursor("uplink").nextBatch(10));

    assertThat(rows).extracting(OutboxRow::sequence).containsExactly(1L, 2L);
    Alert first = decode(rows.get(0));
    assertThat(first.getAlertId()).isEqualTo(gas.alertId());
    assertThat(first.getGatewayId()).isEqualTo(OutboxFixture.GATEWAY_ID);
    assertThat(first.getSequence()).isEqualTo(1);
    assertThat(first.getSite().getGridCell()).isEqualTo("G-07");
    assertThat(first.getDevice().getDeviceId()).isEqualTo("gas-1");
    assertThat(first.getTypeValue()).isEqualTo(CanonicalType.GAS_LEAK.protoNumber());
    assertThat(first.getMeasurements(0).getUnit()).isEqualTo("%LEL");
  }

  @Test
  void appendFindingTheWriterIdle_commitsWithoutWaitingForOthers() {
    SqliteOutbox outbox = open(new OutboxConfig(600_000, 1000, null, null, null, null, null, null));
    CompletableFuture<Void> done = outbox.append(List.of(telemetry("t-1"))).toCompletableFuture();

    await().atMost(Duration.ofSeconds(10)).until(done::isDone);
    assertThat(counters.get("outbox_commits")).isEqualTo(1);
  }

  @Test
  void concurrentAppends_shareCommits() {
    SqliteOutbox outbox = open(new OutboxConfig(5, 1000, null, null, null, null, null, null));
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      all.add(outbox.append(List.of(telemetry("t-" + (i % 10)))).toCompletableFuture());
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();

    assertThat(counters.get("outbox_appended")).isEqualTo(2000);
    assertThat(counters.get("outbox_commits")).isLessThan(100);
    assertThat(join(outbox.stats()).lastSequence()).isEqualTo(2000);
  }

  @Test
  void nextBatch_levelOneFirstThenOldest_keepingEachDevicesOrder() {
    SqliteOutbox outbox = open(OutboxConfig.DEFAULTS);
    join(outbox.append(List.of(telemetry("cam-a"))));                            // 1
    join(outbox.append(List.of(alarm("cam-b", CanonicalType.LOITERING, 4))));    // 2
    join(outbox.append(List.of(alarm("cam-c", CanonicalType.FIRE_SMOKE, 1))));   // 3
    join(outbox.append(List.of(alarm("cam-b", CanonicalType.PERIMETER_INTRUSION, 2)))); // 4 promotes 2
    join(outbox.append(List.of(telemetry("cam-d"))));                            // 5

    List<OutboxRow> rows = join(outbox.cursor("uplink").nextBatch(10));

    assertThat(rows).extracting(OutboxRow::sequence).containsExactly(3L, 2L, 4L, 1L, 5L);
  }

  @Test
  void inFlightRows_areNotFetchedTwice_untilReleased() {
    SqliteOutbox outbox = open(OutboxConfig.DEFAULTS);
    join(outbox.append(List.of(telemetry("a"), telemetry("a"), telemetry("a"))));

    assertThat(join(outbox.cursor("uplink").nextBatch(2))).extracting(OutboxRow::sequence).containsExactly(1L, 2L);
    assertThat(join(outbox.cursor("uplink").nextBatch(2))).extracting(OutboxRow::sequence).containsExactly(3L);
    outbox.cursor("uplink").release(List.of(1L));
    assertThat(join(outbox.cursor("uplink").nextBatch(2))).extracting(OutboxRow::sequence).containsExactly(1L);
  }

  @Test
  void markDelivered_movesRowsToHistory() {
    SqliteOutbox outbox = open(OutboxConfig.DEFAULTS);
    join(outbox.append(List.of(telemetry("a"), telemetry("a"))));
    join(outbox.cursor("uplink").nextBatch(10));

    join(outbox.cursor("uplink").markDelivered(List.of(1L, 99L)));

    OutboxStats stats = join(outbox.stats());
    assertThat(stats.pendingRows()).isEqualTo(1);
    assertThat(stats.historyRows()).isEqualTo(1);
    // The reader thread, which owns the in-flight set, forgets a delivered row just after the commit.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(join(outbox.stats()).inFlightRows()).isEqualTo(1));
    outbox.cursor("uplink").releaseAll();
    assertThat(join(outbox.cursor("uplink").nextBatch(10))).extracting(OutboxRow::sequence).containsExactly(2L);
  }

  @Test
  void restart_resumesUnsentRowsAndSequence() {
    SqliteOutbox first = open(OutboxConfig.DEFAULTS);
    join(first.append(List.of(alarm("g", CanonicalType.GAS_LEAK, 1), telemetry("g"), telemetry("g"))));
    join(first.cursor("uplink").nextBatch(1));
    join(first.cursor("uplink").markDelivered(List.of(1L)));
    first.close();

    SqliteOutbox second = open(OutboxConfig.DEFAULTS);
    join(second.append(List.of(telemetry("g"))));

    assertThat(join(second.cursor("uplink").nextBatch(10))).extracting(OutboxRow::sequence).containsExactly(2L, 3L, 4L);
  }

  @Test
  void overByteBound_evictsTelemetryFirstAndNeverAlarms() {
    SqliteOutbox outbox = open(new OutboxConfig(null, null, null, 5000L, null, null, null, null));
    List<AlertDraft> alarms = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      join(outbox.append(List.of(telemetry("gas-" + i % 10))));
      if (i % 20 == 0) {
        AlertDraft a = alarm("gas-" + i % 10, CanonicalType.GAS_LEAK, 1);
        alarms.add(a);
        join(outbox.append(List.of(a)));
      }
    }
    List<String> ids = join(outbox.cursor("uplink").nextBatch(1000)).stream().map(r -> decode(r).getAlertId()).toList();

    assertThat(ids).containsAll(alarms.stream().map(AlertDraft::alertId).toList());
    assertThat(counters.total("outbox_evicted")).isPositive();
    assertThat(join(outbox.stats()).pendingBytes()).isLessThanOrEqualTo(5000);
  }

  @Test
  void onlyAlarmsLeftAndFull_alarmsWaitInOrder_raisesStorageAlert_commitsThemAfterDelivery() {
    SqliteOutbox outbox = open(new OutboxConfig(null, null, null, 2000L, null, null, 0, null));
    for (int i = 0; i < 100 && !join(outbox.stats()).storageFull(); i++) {
      join(outbox.append(List.of(alarm("gas-1", CanonicalType.GAS_LEAK, 1))));
    }
    assertThat(join(outbox.stats()).storageFull()).as("only alarms left, over the bound").isTrue();
    join(outbox.append(List.of(telemetry("gas-3")))); // shed, not held: nothing waits ahead of it
    assertThat(counters.get("outbox_evicted", "gas-3", "storage_full")).isEqualTo(1);

    AlertDraft fire = alarm("gas-2", CanonicalType.FIRE_SMOKE, 1);
    CompletableFuture<Void> alarm = outbox.append(List.of(fire)).toCompletableFuture();
    AlertDraft reading = telemetry("gas-3");
    CompletableFuture<Void> behind = outbox.append(List.of(reading)).toCompletableFuture();
    join(outbox.stats()); // the writer has seen both appends
    assertThat(alarm).as("an alarm waits for room; it is never refused or shed").isNotDone();
    assertThat(behind).as("and nothing overtakes it").isNotDone();

    List<OutboxRow> pending = join(outbox.cursor("uplink").nextBatch(1000));
    assertThat(pending).anyMatch(r -> decode(r).getType() == io.commguard.alert.v1.AlertType.GATEWAY_FAULT
        && decode(r).getState() == io.commguard.alert.v1.AlertState.RAISED);
    join(outbox.cursor("uplink").markDelivered(pending.stream().map(OutboxRow::sequence).toList()));

    await().atMost(Duration.ofSeconds(5)).until(() -> alarm.isDone() && behind.isDone());
    List<OutboxRow> after = join(outbox.cursor("uplink").nextBatch(100));
    List<String> order = after.stream().sorted(java.util.Comparator.comparingLong(OutboxRow::sequence))
        .map(OutboxRow::alertId).filter(id -> id.equals(fire.alertId()) || id.equals(reading.alertId())).toList();
    assertThat(order).containsExactly(fire.alertId(), reading.alertId());
    outbox.cursor("uplink").releaseAll();
    await().atMost(Duration.ofSeconds(5)).until(() -> join(outbox.cursor("uplink").nextBatch(100)).stream()
        .anyMatch(r -> decode(r).getState() == io.commguard.alert.v1.AlertState.CLEARED));
  }

  @Test
  void evictions_areSummarisedUpstream() {
    SqliteOutbox outbox = open(new OutboxConfig(null, null, null, 500L, null, null, 0, null));
    for (int i = 0; i < 20; i++) {
      join(outbox.append(List.of(telemetry("t"))));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> join(outbox.cursor("uplink").nextBatch(100)).stream()
        .anyMatch(r -> decode(r).getType() == io.commguard.alert.v1.AlertType.GATEWAY_SUMMARY));
  }

  @Test
  void corruptDatabase_isMovedAside_andReported() throws Exception {
    Files.write(dir.resolve("outbox.db"), "this is not a sqlite database, just garbage bytes".repeat(100).getBytes());

    SqliteOutbox outbox = open(OutboxConfig.DEFAULTS);

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("outbox.db.corrupt-"));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !join(outbox.cursor("uplink").nextBatch(10)).isEmpty());
    outbox.cursor("uplink").releaseAll();
    Alert fault = decode(join(outbox.cursor("uplink").nextBatch(10)).get(0));
    assertThat(fault.getType()).isEqualTo(io.commguard.alert.v1.AlertType.GATEWAY_FAULT);
    assertThat(fault.getLevel()).isEqualTo(2);
    assertThat(fault.getSequence()).isGreaterThan(1_000_000_000L);
    join(outbox.append(List.of(telemetry("a"))));
    assertThat(join(outbox.stats()).pendingRows()).isEqualTo(2);
  }

  @Test
  void oldEvictableRows_areEvictedByAge_andHistoryIsPurgedAfterRetention() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    SqliteOutbox outbox = outboxes.open(dir, new OutboxConfig(null, null, null, null, 24, 30, null, null), clock, "uplink");
    join(outbox.append(List.of(telemetry("t"), alarm("g", CanonicalType.GAS_LEAK, 1), alarm("c", CanonicalType.LOITERING, 4))));
    join(outbox.cursor("uplink").nextBatch(1));
    join(outbox.cursor("uplink").markDelivered(List.of(2L)));

    clock.advance(Duration.ofHours(25));
    await().atMost(Duration.ofSeconds(5)).until(() -> counters.get("outbox_evicted", "t", "age") == 1
        && counters.get("outbox_evicted", "c", "age") == 1);
    assertThat(join(outbox.stats()).historyRows()).isEqualTo(1);

    clock.advance(Duration.ofDays(30));
    await().atMost(Duration.ofSeconds(5)).until(() -> join(outbox.stats()).historyRows() == 0);
  }
}
