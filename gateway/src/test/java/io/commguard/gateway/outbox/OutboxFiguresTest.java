package io.commguard.gateway.outbox;

import static io.commguard.gateway.outbox.Drafts.alarm;
import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.testsupport.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox's figures for the metrics, on a real SQLite file with a driven clock. */
class OutboxFiguresTest {
  private static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private SqliteOutbox outbox;

  @AfterEach
  void close() {
    if (outbox != null) {
      outbox.close();
    }
  }

  @Test
  void backlogPerPriority_andEachDeliveryDelayReportedOnce() {
    outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir, "gw-test", new Counters(), clock);
    outbox.start(List.of("uplink"));
    List<Long> delays = new ArrayList<>();
    OutboxFigures start = join(outbox.figures(-1, delays::add));
    assertThat(start.pending(1)).isZero();
    assertThat(start.oldestCommittedMs(1)).isEqualTo(-1);

    join(outbox.append(List.of(alarm("gas-1", CanonicalType.GAS_LEAK, 1), alarm("gas-2", CanonicalType.GAS_LEAK, 1))));
    clock.advance(Duration.ofSeconds(1));
    join(outbox.append(List.of(alarm("cam-1", CanonicalType.PERIMETER_INTRUSION, 3))));
    OutboxFigures waiting = join(outbox.figures(start.readAtMs(), delays::add));
    assertThat(waiting.pending(1)).isEqualTo(2);
    assertThat(waiting.pending(3)).isEqualTo(1);
    assertThat(waiting.pending(2)).isZero();
    assertThat(waiting.oldestCommittedMs(1)).isEqualTo(T0.toEpochMilli());
    assertThat(waiting.oldestCommittedMs(3)).isEqualTo(T0.plusSeconds(1).toEpochMilli());
    assertThat(delays).isEmpty();

    clock.advance(Duration.ofSeconds(5));
    OutboxCursor uplink = outbox.cursor("uplink");
    List<Long> sequences = join(uplink.nextBatch(2)).stream().map(OutboxRow::sequence).toList();
    join(uplink.markDelivered(sequences));
    OutboxFigures sameMillisecond = join(outbox.figures(waiting.readAtMs(), delays::add));
    assertThat(delays).as("a delivery in the reading's own millisecond waits for the next reading").isEmpty();

    clock.advance(Duration.ofMillis(1));
    OutboxFigures delivered = join(outbox.figures(sameMillisecond.readAtMs(), delays::add));
    assertThat(delays).containsExactly(6_000L, 6_000L);
    assertThat(delivered.pending(1)).isZero();
    assertThat(delivered.pending(3)).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    join(outbox.figures(delivered.readAtMs(), delays::add));
    assertThat(delays).as("each delivery once").hasSize(2);
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
