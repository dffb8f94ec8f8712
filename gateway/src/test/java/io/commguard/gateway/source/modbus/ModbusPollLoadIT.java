package io.commguard.gateway.source.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.server.ProcessImage;
import com.digitalpetri.modbus.server.ReadOnlyModbusServices;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import io.commguard.gateway.source.modbus.ModbusLinkConfig;
import io.commguard.gateway.source.modbus.ModbusLinkConfig.Transport;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.source.modbus.map.ModbusProfile;
import io.commguard.gateway.testsupport.FreePort;
import io.netty.channel.nio.NioEventLoopGroup;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Measures the poller's CPU cost: 1,000 RS-485 gas modules (0x6000 profile, one 7-register read
 * each) polled every second over loopback Modbus TCP. The slave is the digitalpetri Java server in
 * this JVM on its own threads, which are left out of the figure. Off by default (it takes ~40 s);
 * run with {@code -Dmodbus.load=true -Dit.test=ModbusPollLoadIT}. Prints the figures; asserts only
 * that every device kept being polled.
 */
@EnabledIfSystemProperty(named = "modbus.load", matches = "true")
class ModbusPollLoadIT {

  @ParameterizedTest(name = "{0} links x {1} units")
  @CsvSource({"1000, 1", "100, 10"})
  void thousandDetectors_everySecond_cpuOfThePoller(int links, int unitsPerLink) throws Exception {
    ProcessImage image = new ProcessImage();
    image.with(tx -> tx.writeHoldingRegisters(m -> {
      int[] values = {0x8000, 123, 0, 0, 0, 0, 1};
      for (int i = 0; i < values.length; i++) {
        m.put(0x6000 + i, new byte[] {(byte) (values[i] >> 8), (byte) values[i]});
      }
    }));
    NioEventLoopGroup serverLoop = new NioEventLoopGroup(1, (java.util.concurrent.ThreadFactory) r -> new Thread(r, "bench-server-loop"));
    ExecutorService serverExec = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-server-exec"));
    int port = FreePort.next();
    ModbusTcpServer server = ModbusTcpServer.create(
        NettyTcpServerTransport.create(cfg -> cfg.setBindAddress("127.0.0.1").setPort(port)
            .setEventLoopGroup(serverLoop).setExecutor(serverExec)),
        new ReadOnlyModbusServices() {
          @Override
          protected Optional<ProcessImage> getProcessImage(int unitId) {
            return Optional.of(image);
          }
        });
    server.start();

    ModbusProfile profile = TestProfiles.shipped("generic/rs485-gas-0x6000");
    List<ModbusLinkConfig> linkConfigs = new ArrayList<>();
    List<ModbusDevice> devices = new ArrayList<>();
    for (int l = 0; l < links; l++) {
      linkConfigs.add(new ModbusLinkConfig("l" + l, Transport.TCP, "127.0.0.1", port, null, null, null, null, null,
          1000, 3000, null, null, null, null, null));
      for (int u = 1; u <= unitsPerLink; u++) {
        devices.add(new ModbusDevice(new DeviceRef("d" + l + "-" + u, "p", "", null, ""), "l" + l, u, profile));
      }
    }
    RecordingSink sink = new RecordingSink();
    Counters counters = new Counters();
    ModbusSource source = ModbusSourceKit.start(linkConfigs, devices, sink, counters);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> counters.total("modbus_polls") >= 4L * devices.size());
      Thread.sleep(5_000); // warm-up: JIT, connections settled

      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long ok0 = okPolls(counters);
      long errors0 = counters.total("modbus_errors");
      long cpu0 = gatewayCpuNanos(threads);
      long t0 = System.nanoTime();
      Thread.sleep(20_000);
      long cpu = gatewayCpuNanos(threads) - cpu0;
      double seconds = (System.nanoTime() - t0) / 1e9;
      double pollsPerSecond = (okPolls(counters) - ok0) / seconds;
      System.out.printf("Modbus load: links=%d units/link=%d devices=%d polls/s=%.0f gateway CPU=%.1f %% of one core"
              + " errors in window=%d errors before (start-up)=%s%n",
          links, unitsPerLink, devices.size(), pollsPerSecond, 100.0 * cpu / (seconds * 1e9),
          counters.total("modbus_errors") - errors0, errorReasons(counters));
      assertThat(pollsPerSecond).isGreaterThan(devices.size() * 0.9);
    } finally {
      source.close();
      server.stop();
      serverLoop.shutdownGracefully();
      serverExec.shutdownNow();
    }
  }

  private static java.util.Map<String, Long> errorReasons(Counters counters) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    counters.snapshot().forEach((k, v) -> {
      if (k.startsWith("modbus_errors{")) {
        out.merge(k.substring(k.indexOf("reason=") + 7, k.length() - 1), v, Long::sum);
      }
    });
    return out;
  }

  private static long okPolls(Counters counters) {
    return counters.snapshot().entrySet().stream()
        .filter(e -> e.getKey().startsWith("modbus_polls{") && e.getKey().endsWith("reason=ok}"))
        .mapToLong(e -> e.getValue()).sum();
  }

  /** CPU time of every thread but the bench server's and the test's own. */
  private static long gatewayCpuNanos(ThreadMXBean threads) {
    long sum = 0;
    for (long id : threads.getAllThreadIds()) {
      var info = threads.getThreadInfo(id);
      if (info == null || info.getThreadName().startsWith("bench-server") || id == Thread.currentThread().getId()) {
        continue;
      }
      long t = threads.getThreadCpuTime(id);
      if (t > 0) {
        sum += t;
      }
    }
    return sum;
  }
}
