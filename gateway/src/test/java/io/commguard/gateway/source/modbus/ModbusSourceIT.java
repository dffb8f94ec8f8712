package io.commguard.gateway.source.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.ProfileSections;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.source.modbus.DeviceModbusConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.source.modbus.ModbusLinkConfig;
import io.commguard.gateway.source.modbus.ModbusLinkConfig.Transport;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.ProfileLoader;
import io.commguard.gateway.testsupport.PymodbusSimulator;
import io.commguard.gateway.testsupport.PymodbusSimulator.Framing;
import io.commguard.gateway.validation.ProblemCollector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three shipped profiles against a real pymodbus slave: Honeywell-Midas-style and the simple
 * sensor over Modbus TCP (one link, two unit ids), the 0x6000 RS-485 module over RTU framing on TCP
 * (a serial device server). Scripted status changes must come out as the right canonical events.
 */
class ModbusSourceIT {
  // Midas map with the real-world hole at register 1 and 7..11: the planner's merged reads are
  // refused with "illegal data address" and must fall back.
  private static final String TCP_SPEC = """
      {"units": {
        "1": {"hr": {"0": [0], "2": [0, 16880, 30, 0, 2048], "12": [0, 16800, 0, 16928]}},
        "3": {"hr": {"0": [1234, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 2]}}
      }}""";
  private static final String DTU_SPEC = """
      {"units": {"2": {"hr": {"0x6000": [100, 250, 0, 0, 0, 0, 1]}}}}""";

  @TempDir Path dir;
  private PymodbusSimulator tcp;
  private PymodbusSimulator dtu;
  private ModbusSource source;

  @AfterEach
  void tearDown() {
    if (source != null) {
      source.close();
    }
    if (tcp != null) {
      tcp.close();
    }
    if (dtu != null) {
      dtu.close();
    }
  }

  @Test
  void shippedProfiles_scriptedStatusChanges_becomeCanonicalEvents() {
    tcp = PymodbusSimulator.tcp(dir, TCP_SPEC, Framing.TCP);
    dtu = PymodbusSimulator.tcp(dir, DTU_SPEC, Framing.RTU_OVER_TCP);
    GatewayConfig config = new GatewayConfig("gw-test", null, null,
        List.of(
            device("midas-1", "honeywell-midas", "tcp-a", 1),
            device("sensor-3", "generic-reading-decimals-sensor", "tcp-a", 3),
            device("module-2", "generic-rs485-gas-0x6000", "dtu-b", 2)),
        null, null, null, null)
        .withSection("modbusLinks", List.of(
            link("tcp-a", Transport.TCP, tcp.port()),
            link("dtu-b", Transport.RTU_OVER_TCP, dtu.port())));
    // The real profile loader with every registered section, over the shipped device-profiles folder.
    Map<String, DeviceProfile> profiles = ProfileSections.loader().loadDirectory(TestProfiles.dir());
    RecordingSink sink = new RecordingSink();
    Counters counters = new Counters();
    source = ModbusSourceKit.fromConfig(config, profiles, sink, counters);

    // Warm-up on both detectors.
    awaitEvent(sink, "midas-1", "warm_up", Phase.ACTIVE);
    awaitEvent(sink, "module-2", "warm_up", Phase.ACTIVE);
    DeviceEvent warm = last(sink, "midas-1", "warm_up");
    assertThat(warm.device().model()).isEqualTo("Midas gas detector (Modbus TCP map)");
    assertThat(warm.device().site().building()).isEqualTo("B3");
    assertThat(warm.kind()).isEqualTo(EventKind.STATUS);
    assertThat(warm.type()).isEqualTo(CanonicalType.WARM_UP);
    assertThat(warm.attributes()).containsEntry("deviceState", "WARM_UP");

    // Normal.
    tcp.setHolding(1, 0, 0x0001);
    dtu.setHolding(2, 0x6000, 0x8000);
    awaitEvent(sink, "midas-1", "warm_up", Phase.INACTIVE);
    awaitEvent(sink, "module-2", "warm_up", Phase.INACTIVE);
    assertThat(last(sink, "midas-1", "warm_up").attributes()).containsEntry("deviceState", "NORMAL");

    // Low alarm.
    tcp.setHolding(1, 0, 0x0041);
    dtu.setHolding(2, 0x6000, 0x8001);
    awaitEvent(sink, "midas-1", "gas", Phase.ACTIVE, 2);
    awaitEvent(sink, "module-2", "gas", Phase.ACTIVE, 2);
    DeviceEvent low = last(sink, "midas-1", "gas");
    assertThat(low.kind()).isEqualTo(EventKind.ALARM);
    assertThat(low.type()).isEqualTo(CanonicalType.GAS_LEAK);
    assertThat(low.level()).isEqualTo(2);
    assertThat(low.nativeCode()).isEqualTo("status.b6");
    assertThat(low.attributes()).containsEntry("deviceState", "LOW_ALARM");
    // 30.0 as float32, low word first (CDAB): registers 2..3 = 0x0000 0x41F0.
    assertThat(measurement(low, "concentration").value()).isCloseTo(30.0, within(1e-6));
    assertThat(measurement(low, "concentration").unit()).isEqualTo("%LEL");
    DeviceEvent moduleLow = last(sink, "module-2", "gas");
    assertThat(moduleLow.nativeCode()).isEqualTo("status.b15=1&status.b0");
    assertThat(measurement(moduleLow, "concentration").value()).isCloseTo(25.0, within(1e-9));

    // High alarm: the same episode, escalated; both native bits travel.
    tcp.setHolding(1, 0, 0x00C1);
    dtu.setHolding(2, 0x6000, 0x8003);
    awaitEvent(sink, "midas-1", "gas", Phase.ACTIVE, 1);
    awaitEvent(sink, "module-2", "gas", Phase.ACTIVE, 1);
    DeviceEvent high = last(sink, "midas-1", "gas");
    assertThat(high.type()).isEqualTo(CanonicalType.GAS_LEAK);
    assertThat(high.nativeCode()).isEqualTo("status.b7");
    assertThat(high.attributes()).containsEntry(DeviceSession.NATIVE_CONDITIONS, "status.b7,status.b6");
    assertThat(high.attributes()).containsEntry("deviceState", "HIGH_ALARM");

    // Fault: Midas fault status with fault number 42; module sensor lost, then over-range.
    tcp.setHolding(1, 5, 42);
    tcp.setHolding(1, 0, 0x0011);
    dtu.setHolding(2, 0x6000, 0x8020);
    awaitEvent(sink, "midas-1", "fault", Phase.ACTIVE);
    awaitEvent(sink, "module-2", "sensor_lost", Phase.ACTIVE);
    DeviceEvent fault = last(sink, "midas-1", "fault");
    assertThat(fault.type()).isEqualTo(CanonicalType.DEVICE_FAULT);
    assertThat(fault.level()).isEqualTo(4);
    assertThat(fault.nativeCode()).isEqualTo("status.b4-5/faultNumber=42");
    assertThat(fault.attributes()).containsEntry("deviceState", "FAULT");
    awaitEvent(sink, "midas-1", "gas", Phase.INACTIVE);
    dtu.setHolding(2, 0x6000, 0x8010);
    awaitEvent(sink, "module-2", "over_range", Phase.ACTIVE);
    awaitEvent(sink, "module-2", "sensor_lost", Phase.INACTIVE);

    // The whole Midas story, in order, with nothing in between.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(sink.changes("midas-1")).extracting(e -> e.episodeKey() + ":" + e.phase() + "@" + e.level())
            .containsExactly("warm_up:ACTIVE@4", "warm_up:INACTIVE@4", "gas:ACTIVE@2", "gas:ACTIVE@1",
                "fault:ACTIVE@4", "gas:INACTIVE@1"));

    // The simple sensor: reading 1234 with 2 decimals read from register 0x1E.
    await().atMost(Duration.ofSeconds(10)).until(() -> !telemetry(sink, "sensor-3").isEmpty());
    assertThat(measurement(telemetry(sink, "sensor-3").get(0), "reading").value()).isCloseTo(12.34, within(1e-9));
    // Midas telemetry carries the alarm set points (float32 CDAB: 20.0 and 40.0).
    await().atMost(Duration.ofSeconds(10)).until(() -> telemetry(sink, "midas-1").stream()
        .anyMatch(e -> e.measurements().stream().anyMatch(m -> m.name().equals("highAlarmSetPoint"))));

    // Midas refused the merged reads across its holes; the planner fell back and remembered it.
    assertThat(counters.get("modbus_plan_fallbacks", "midas-1", "exception_illegal_data_address")).isEqualTo(2);
    assertThat(counters.get("modbus_errors", "sensor-3", "exception_illegal_data_address")).isZero();
    assertThat(sink.count("midas-1", CanonicalType.DEVICE_OFFLINE, Phase.ACTIVE)).isZero();
  }

  static DeviceConfig device(String id, String profile, String link, int unit) {
    return new DeviceConfig(id, profile, null, new Site("310115", "g1", "B3", "1", "2F", ""), "stairwell")
        .withBinding("modbus", new DeviceModbusConfig(link, unit));
  }

  static ModbusLinkConfig link(String id, Transport transport, int port) {
    return new ModbusLinkConfig(id, transport, "127.0.0.1", port, null, null, null, null, null,
        1000, 2000, null, null, transport == Transport.TCP ? null : 5, null, null);
  }

  static void awaitEvent(RecordingSink sink, String device, String episode, Phase phase) {
    await().atMost(Duration.ofSeconds(15)).until(() -> sink.has(device, episode, phase));
  }

  static void awaitEvent(RecordingSink sink, String device, String episode, Phase phase, int level) {
    await().atMost(Duration.ofSeconds(15)).until(() -> sink.of(device).stream()
        .anyMatch(e -> e.episodeKey().equals(episode) && e.phase() == phase && e.level() == level));
  }

  static DeviceEvent last(RecordingSink sink, String device, String episode) {
    List<DeviceEvent> list = sink.of(device).stream().filter(e -> e.episodeKey().equals(episode)).toList();
    return list.get(list.size() - 1);
  }

  static List<DeviceEvent> telemetry(RecordingSink sink, String device) {
    return sink.of(device).stream().filter(e -> e.kind() == EventKind.TELEMETRY).toList();
  }

  static Measurement measurement(DeviceEvent e, String name) {
    return e.measurements().stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no measurement " + name + " in " + e));
  }
}
