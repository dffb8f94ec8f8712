package io.commguard.bench.jmh;

import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.outbox.SqliteOutbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Outbox group commit on the real SQLite file (WAL, synchronous=FULL, so every commit is an
 * fsync on the benchmark machine's disk): one append of {@code rows} alerts, waited until durable.
 * Divide by {@code rows} for the cost per alert.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class OutboxBench {
  @Param({"1", "100", "1000"})
  public int rows;

  private Path dir;
  private SqliteOutbox outbox;
  private final List<AlertDraft> batch = new ArrayList<>();

  @Setup(Level.Trial)
  public void setup() throws IOException {
    dir = Files.createTempDirectory("outbox-bench");
    outbox = new SqliteOutbox(new OutboxConfig(0, 1000, null, 8L << 30, null, null, null, null), dir, "gw-bench", new Counters());
    outbox.start(List.of("uplink"));
    for (int i = 0; i < rows; i++) {
      batch.add(Fixtures.alarm(i));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    outbox.close();
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public void commit() {
    outbox.append(batch).toCompletableFuture().join();
  }
}
