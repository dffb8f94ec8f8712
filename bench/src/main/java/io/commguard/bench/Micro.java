package io.commguard.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH micro-benchmarks ({@code io.commguard.bench.jmh}) as part of the standard run, with short
 * settings (1 fork, 1 × 1 s warm-up, 3 × 1 s measurement) so the whole suite takes about a minute;
 * {@code bench.jar jmh} runs them with their own, longer settings.
 */
final class Micro {
  private Micro() {}

  static Map<String, Object> run(String profilesDir) throws Exception {
    Options options = new OptionsBuilder()
        .include("io\\.commguard\\.bench\\.jmh\\..*")
        .forks(1)
        .warmupIterations(1).warmupTime(TimeValue.seconds(1))
        .measurementIterations(3).measurementTime(TimeValue.seconds(1))
        .timeUnit(TimeUnit.MICROSECONDS)
        .jvmArgsAppend("-Dprofiles.dir=" + profilesDir)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, Object> out = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().replace("io.commguard.bench.jmh.", "");
      StringBuilder key = new StringBuilder(name);
      for (String p : r.getParams().getParamsKeys()) {
        key.append(" [").append(p).append('=').append(r.getParams().getParam(p)).append(']');
      }
      var s = r.getPrimaryResult();
      out.put(key.toString(), String.format("%.2f ± %.2f %s", s.getScore(), s.getScoreError(), s.getScoreUnit()));
    }
    return out;
  }
}
