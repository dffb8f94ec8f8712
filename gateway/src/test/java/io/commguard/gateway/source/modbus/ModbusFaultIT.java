package io.commguard.gateway.source.modbus;

import static io.commguard.gateway.source.modbus.ModbusSourceIT.awaitEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.source.modbus.ModbusLinkConfig;
import io.commguard.gateway.source.modbus.ModbusLinkConfig.Transport;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.source.modbus.map.ModbusProfile;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.PymodbusSimulator;
import io.commguard.gateway.testsupport.PymodbusSimulator.Framing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault isolation against real pymodbus slaves: a device stopped mid-run, a device that stops
 * answering on a shared bus, a slow device, a server that closes the connection, corrupt answers,
 * and a pipeline that refuses events. Polls every 200 ms so the class stays quick.
 */
class ModbusFaultIT {
  private static final ModbusProfile PROFILE = TestProfiles.inline("""
      addressBase: ZERO
      telemetryIntervalMs: 1000
      groups:
        - name: fast
          pollIntervalMs: 200
          points:
            - {name: status, address: 0}
            - {name: value, address: 1, role: MEASUREMENT, unit: "%LEL"}
      conditions:
        - {id: alarm, state: ALARM, kind: ALARM, type: GAS_LEAK, when: [{point: status, bit: 0}]}
      """);
  private static final String ONE_UNIT = "{\"units\": {\"1\": {\"hr\": {\"0\": [0, 7]}}}}";
  private static final String TWO_UNITS = "{\"units\": {\"1\": {\"hr\": {\"0\": [0, 7]}}, \"2\": {\"hr\": {\"0\": [0, 9]}}}}";

  @TempDir Path dir;
  private final List<PymodbusSimulator> sims = new ArrayList<>();
  private final RecordingSink sink = new RecordingSink();
  private final Counters counters = new Counters();
  private ModbusSource source;

  @AfterEach
  void tearDown() {
    if (source != null) {
      source.close();
    }
    sims.forEach(PymodbusSimulator::close);
  }

  private PymodbusSimulator sim(String spec, Framing framing) {
    PymodbusSimulator s = PymodbusSimulator.tcp(dir, spec, framing);
    sims.add(s);
    return s;
  }

  private static ModbusLinkConfig link(String id, Transport transport, int port, int timeoutMs) {
    return new ModbusLinkConfig(id, transport, "127.0.0.1", port, null, null, null, null, null,
        timeoutMs, 1000, 1, null, transport == Transport.TCP ? 0 : 5, 3, 2000);
  }

  private static ModbusDevice device(String id, String link, int unit) {
    return new ModbusDevice(new DeviceRef(id, "test", "", null, ""), link, unit, PROFILE);
  }

  private long errors(String device) {
    String prefix = "modbus_errors{device=" + device + ",";
    return counters.snapshot().entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue()).sum();
  }

  private long ok(String device) {
    return counters.get("modbus_polls", device, "ok");
  }

  private void start(List<ModbusLinkConfig> links, List<ModbusDevice> devices) {
    source = ModbusSourceKit.start(links, devices, sink, counters);
    for (ModbusDevice d : devices) {
      await().atMost(Duration.ofSeconds(10)).until(() -> ok(d.id()) >= 2);
    }
  }

  /** Polls completed by {@code device} while {@code during} runs, and the time it took. */
  private double pollsPerSecond(String device, Runnable during) {
    long before = ok(device);
    long t0 = System.nanoTime();
    during.run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    return (ok(device) - before) / seconds;
  }

  @Test
  void linkThatCannotConnect_isLoggedForTheLink_notPerDevice_whileEveryDeviceCountsItsFailureAndGoesOffline() {
    // The gateway's System.Logger lines go to java.util.logging unless the application routes them.
    Logger modbusLog = Logger.getLogger("io.commguard.gateway.source.modbus");
    List<String> messages = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        messages.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    modbusLog.addHandler(capture);
    try {
      List<ModbusDevice> devices = new ArrayList<>();
      for (int unit = 1; unit <= 20; unit++) {
        devices.add(device("dead-" + unit, "dead", unit));
      }
      source = ModbusSourceKit.start(List.of(link("dead", Transport.TCP, FreePort.next(), 300)), devices, sink, counters);

      await().atMost(Duration.ofSeconds(20)).until(() -> devices.stream()
          .allMatch(d -> sink.count(d.id(), CanonicalType.DEVICE_OFFLINE, Phase.ACTIVE) == 1));
      assertThat(messages).filteredOn(m -> m.startsWith("Modbus link connect failed link=dead")).hasSize(1)
          .allMatch(m -> m.contains("devicesWaiting="));
      assertThat(messages).noneMatch(m -> m.startsWith("Modbus poll failed"))
          .noneMatch(m -> m.startsWith("Modbus device offline"));
      int offlineOnTheLinksLines = messages.stream()
          .filter(m -> m.startsWith("Modbus devices offline with their link link=dead"))
          .mapToInt(m -> Integer.parseInt(m.replaceAll(".* devices=(\\d+) .*", "$1"))).sum();
      assertThat(offlineOnTheLinksLines).isEqualTo(20);
    } finally {
      modbusLog.removeHandler(capture);
    }
  }

  @Test
  void deviceStoppedMidRun_othersKeepPolling_stoppedOneGoesOfflineAndRecovers() {
    PymodbusSimulator a = sim(ONE_UNIT, Framing.TCP);
    PymodbusSimulator b = sim(ONE_UNIT, Framing.TCP);
    PymodbusSimulator c = sim(TWO_UNITS, Framing.RTU_OVER_TCP);
    start(List.of(link("a", Transport.TCP, a.port(), 300), link("b", Transport.TCP, b.port(), 1000),
            link("c", Transport.RTU_OVER_TCP, c.port(), 1000)),
        List.of(device("dev-a", "a", 1), device("dev-b", "b", 1), device("dev-c1", "c", 1), device("dev-c2", "c", 2)));

    long bErrors = errors("dev-b");
    double rate = pollsPerSecond("dev-b", () -> {
      a.stop();
      await().atMost(Duration.ofSeconds(15)).until(() -> sink.count("dev-a", CanonicalType.DEVICE_OFFLINE, Phase.ACTIVE) == 1);
    });
    // 5 polls a second is the configured rate; a stall behind dev-a would show as far fewer.
    assertThat(rate).isGreaterThan(3.0);
    assertThat(sink.count("dev-b", CanonicalType.DEVICE_OFFLINE, Phase.ACTIVE)).isZero();
    assertThat(sink.count("dev-c1", CanonicalType.DEVICE_OFFLINE, Phase.ACTIVE)).isZero();
    assertThat(errors("dev-a")).isPositive();
    assertThat(errors("dev-b")).isEqualTo(bErrors);

    a.start();
    await().atMost(Duration.ofSeconds(15)).until(() -> sink.count("dev-a", CanonicalType.DEVICE_OFFLINE, Phase.INACTIVE) == 1);
    long afterRecovery = ok("dev-a");
    await().atMost(Duration.ofSeconds(5)).until(() -> ok("dev-a") >= afterRecovery + 3);
  }

  @Test
  void silentDevice_onSharedBus_costsItsNeighbourAtMostItsTimeout() {
    PymodbusSimulator bus = sim(TWO_UNITS, Framing.RTU_OVER_TCP);
    start(List.of(link("bus", Transport.RTU_OVER_TCP, bus.port(), 400)),
        List.of(device("dev-1", "bus", 1), device("dev-2", "bus", 2)));

    long twoErrors = errors("dev-2");
    bus.command("mute 1");
    double rate = pollsPerSecond("dev-2", () ->
        await().atMost(Duration.ofSeconds(15)).until(() -> sink.count("dev-1", CanonicalType.DEVICE_OFFLINE, Phase.ACTIVE) == 1));
    // Without isolation dev-2 would wait behind every retry of dev-1; with back-off it keeps most polls.
    assertThat(rate).isGreaterThan(2.0);
    assertThat(counters.get("modbus_errors", "dev-1", "timeout")).isPositive();
    assertThat(errors("dev-2")).isEqualTo(twoErrors);
    assertThat(counters.get("modbus_retries", "dev-1", "timeout")).isZero();

    bus.command("unmute 1");
    await().atMost(Duration.ofSeconds(15)).until(() -> sink.count("dev-1", CanonicalType.DEVICE_OFFLINE, Phase.INACTIVE) == 1);
    assertThat(sink.count("dev-2", CanonicalType.DEVICE_OFFLINE, Phase.ACTIVE)).isZero();
  }

  @Test
  void slowDevice_withinTimeoutIsPolled_beyondTimeoutTimesOutThenRecovers() {
    PymodbusSimulator s = sim(ONE_UNIT, Framing.TCP);
    start(List.of(link("l", Transport.TCP, s.port(), 500)), List.of(device("slow", "l", 1)));

    s.command("delay 1 150");
    long before = ok("slow");
    await().atMost(Duration.ofSeconds(10)).until(() -> ok("slow") >= before + 5);
    assertThat(errors("slow")).isZero();

    s.command("delay 1 1500");
    await().atMost(Duration.ofSeconds(15)).until(() -> sink.count("slow", CanonicalType.DEVICE_OFFLINE, Phase.ACTIVE) == 1);
    assertThat(counters.get("modbus_errors", "slow", "timeout")).isGreaterThanOrEqualTo(3);

    s.command("delay 1 0");
    await().atMost(Duration.ofSeconds(15)).until(() -> sink.count("slow", CanonicalType.DEVICE_OFFLINE, Phase.INACTIVE) == 1);
  }

  @Test
  void serverClosingTheConnection_isReconnectedWithoutGoingOffline() {
    PymodbusSimulator s = sim(ONE_UNIT, Framing.TCP);
    start(List.of(link("l", Transport.TCP, s.port(), 500)), List.of(device("dropped", "l", 1)));

    for (int i = 0; i < 3; i++) {
      long before = ok("dropped");
      s.command("drop");
      await().atMost(Duration.ofSeconds(10)).until(() -> ok("dropped") >= before + 3);
    }
    s.setHolding(1, 0, 1);
    awaitEvent(sink, "dropped", "alarm", Phase.ACTIVE);
    assertThat(sink.count("dropped", CanonicalType.DEVICE_OFFLINE, Phase.ACTIVE)).isZero();
  }

  @Test
  void corruptAnswers_areCountedPerDeviceAndReason_andNothingCrashes() {
    PymodbusSimulator tcp = sim(ONE_UNIT, Framing.TCP);
    PymodbusSimulator rtu = sim(ONE_UNIT, Framing.RTU_OVER_TCP);
    start(List.of(link("t", Transport.TCP, tcp.port(), 300), link("r", Transport.RTU_OVER_TCP, rtu.port(), 300)),
        List.of(device("tcp-dev", "t", 1), device("rtu-dev", "r", 1)));

    tcp.command("wrongunit 1 9");
    await().atMost(Duration.ofSeconds(10)).until(() -> counters.get("modbus_errors", "tcp-dev", "unit_id_mismatch") >= 1);
    tcp.command("wrongunit 1 0");
    tcp.command("short 1 1");
    await().atMost(Duration.ofSeconds(10)).until(() -> counters.get("modbus_errors", "tcp-dev", "short_response") >= 1);
    tcp.command("short 1 0");

    rtu.command("badcrc 1 1");
    await().atMost(Duration.ofSeconds(10)).until(() -> counters.get("modbus_errors", "rtu-dev", "crc_error") >= 1);
    rtu.command("badcrc 1 0");
    rtu.command("wrongunit 1 9");
    await().atMost(Duration.ofSeconds(10)).until(() -> counters.get("modbus_errors", "rtu-dev", "unit_id_mismatch") >= 1);
    rtu.command("wrongunit 1 0");

    // Both keep being polled afterwards.
    long tcpOk = ok("tcp-dev");
    long rtuOk = ok("rtu-dev");
    await().atMost(Duration.ofSeconds(20)).until(() -> ok("tcp-dev") >= tcpOk + 3 && ok("rtu-dev") >= rtuOk + 3);
  }

  @Test
  void refusedEvent_isSentAgainOnTheNextPoll() {
    PymodbusSimulator s = sim(ONE_UNIT, Framing.TCP);
    start(List.of(link("l", Transport.TCP, s.port(), 500)), List.of(device("busy", "l", 1)));

    sink.overloaded.set(true);
    s.setHolding(1, 0, 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> counters.get("held", "busy", "overloaded") >= 2);
    assertThat(sink.has("busy", "alarm", Phase.ACTIVE)).isFalse();
    sink.overloaded.set(false);
    awaitEvent(sink, "busy", "alarm", Phase.ACTIVE);
    assertThat(sink.changes("busy")).extracting(e -> e.episodeKey() + ":" + e.phase()).containsExactly("alarm:ACTIVE");
  }
}
