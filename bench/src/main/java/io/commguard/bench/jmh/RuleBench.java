package io.commguard.bench.jmh;

import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.profile.codec.ProfilePayloadDecoder;
import io.commguard.gateway.rule.RuleEngine;
import io.commguard.gateway.rule.RuleStateStore;
import io.commguard.gateway.rule.spec.GatewayRules;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

/**
 * The rule engine (built-in rules, in-memory state) over 1,000 gas detectors: a normal reading
 * that produces nothing, and a high/normal pair that raises and clears an episode (two alerts).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RuleBench {
  private static final int DEVICES = 1000;
  private RuleEngine engine;
  private final List<DeviceEvent> normal = new ArrayList<>();
  private final List<DeviceEvent> high = new ArrayList<>();
  private int i;

  @Setup
  public void setup() throws Exception {
    String profile = "generic-nbiot-gas-detector";
    PayloadDecoder decoder = ProfilePayloadDecoder.create(Fixtures.profiles().get(profile),
        HashKey.of(new byte[HashKey.KEY_BYTES]), new Counters());
    List<DeviceConfig> devices = new ArrayList<>();
    for (int d = 0; d < DEVICES; d++) {
      String id = "gas-" + d;
      devices.add(new DeviceConfig(id, profile, null, Fixtures.SITE, ""));
      normal.add(decode(decoder, id, "normal", 0.5));
      high.add(decode(decoder, id, "high", 52));
    }
    engine = new RuleEngine("gw-bench", devices, GatewayRules.NONE, Map.of(), RuleStateStore.IN_MEMORY,
        Clock.systemUTC(), new Counters(), () -> UUID.randomUUID().toString());
  }

  private static DeviceEvent decode(PayloadDecoder decoder, String id, String status, double value) throws Exception {
    String json = "{\"imei\":\"868120300012345\",\"ts\":" + System.currentTimeMillis() + ",\"status\":\"" + status
        + "\",\"gas\":{\"type\":\"CH4\",\"concentration\":" + value + "},\"battery\":87}";
    return decoder.decode(Fixtures.device(id, "generic-nbiot-gas-detector"), "devices/" + id + "/event",
        json.getBytes(StandardCharsets.UTF_8), Instant.now()).get(0);
  }

  @Benchmark
  public List<AlertDraft> normalReading() {
    i = (i + 1) % DEVICES;
    return engine.evaluate(normal.get(i));
  }

  /** Two evaluations: the raise and the clear (one RAISED and one CLEARED alert). */
  @Benchmark
  public List<AlertDraft> raiseAndClear() {
    i = (i + 1) % DEVICES;
    engine.evaluate(high.get(i));
    return engine.evaluate(normal.get(i));
  }
}
