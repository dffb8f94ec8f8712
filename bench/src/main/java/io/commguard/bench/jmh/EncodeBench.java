package io.commguard.bench.jmh;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.wire.AlertEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Protobuf encode: one alert (done once, at commit) and one full batch of 200 stored alerts (per send). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EncodeBench {
  private AlertDraft draft;
  private final List<byte[]> stored = new ArrayList<>();
  private long sequence;

  @Setup
  public void setup() {
    draft = Fixtures.alarm(1);
    for (int i = 0; i < 200; i++) {
      stored.add(AlertEncoder.encode(Fixtures.alarm(i), i + 1, "gw-bench").toByteArray());
    }
  }

  @Benchmark
  public byte[] encodeAlert() {
    return AlertEncoder.encode(draft, ++sequence, "gw-bench").toByteArray();
  }

  @Benchmark
  public byte[] encodeBatchOf200() {
    return AlertEncoder.batch("gw-bench", ++sequence, System.currentTimeMillis(), stored);
  }
}
