package io.commguard.bench.jmh;

import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.admin.devices.Messages;
import io.commguard.gateway.admin.devices.Provisioning;
import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.registry.DeviceRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A CSV import of 5,000 MQTT devices that log in (the goal: under 5 s), applied into an
 * empty registry on a real {@code devices.db}: parsing, the registry's checks of the whole list,
 * a generated password and its hash for every device (on the provisioning threads), the one
 * transaction. One shot per fresh registry.
 *
 * <p>Its fork runs on the shipped JVM line's compiler and heap ({@code -XX:TieredStopAtLevel=1}, serial
 * GC, 128 MiB), not the harness's: under C1 the JDK's SHA-256 is not an intrinsic, so hashing costs
 * several times what it costs under C2, and that is what a box pays. The whole path through the
 * admin API, with the registry's listeners and a steady load beside it, is the {@code steady_import}
 * scenario.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsPrepend = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m"})
public class ImportBench {
  static final int DEVICES = 5_000;

  private Path dir;
  private GatewayPlan plan;
  private DeviceRegistry registry;
  private Provisioning provisioning;
  private byte[] csv;

  @Setup(Level.Trial)
  public void plan() throws Exception {
    String yaml = """
        gatewayId: gw-bench
        dataDir: /tmp/unused
        deviceEndpoint: {enabled: true, host: 127.0.0.1, port: 1883}
        uplink: {brokerUrl: 'tcp://127.0.0.1:1883'}
        """;
    plan = GatewayPlan.of(ConfigLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "bench.yaml"),
        "bench.yaml");
    StringBuilder sb = new StringBuilder("\uFEFFid,profile,site,location,state\r\n");
    for (int i = 0; i < DEVICES; i++) {
      sb.append("gas-").append(i).append(",generic-nbiot-gas-detector,310115001/G-07/").append(i / 200).append('/')
          .append(i % 4 + 1).append('/').append(i % 30 + 1).append("F,").append(i / 200).append("号楼厨房,\r\n");
    }
    csv = sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Setup(Level.Invocation)
  public void freshRegistry() throws Exception {
    dir = Files.createTempDirectory("import-bench");
    registry = DeviceRegistry.open(dir, plan.deviceCheck());
    provisioning = new Provisioning(registry, d -> true);
  }

  @TearDown(Level.Invocation)
  public void tearDown() throws Exception {
    provisioning.close();
    registry.close();
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public Provisioning.ImportResult import5000() {
    Provisioning.ImportResult r = provisioning.importCsv(csv, true, Messages.EN).toCompletableFuture().join();
    if (r.created() != DEVICES) {
      throw new IllegalStateException("import failed: " + r.errors().stream().limit(3).toList());
    }
    return r;
  }
}
