package io.commguard.gateway.source.modbus;

import static io.commguard.gateway.source.modbus.ModbusSourceIT.awaitEvent;
import static io.commguard.gateway.source.modbus.ModbusSourceIT.last;
import static io.commguard.gateway.source.modbus.ModbusSourceIT.measurement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.source.modbus.ModbusLinkConfig;
import io.commguard.gateway.source.modbus.ModbusLinkConfig.Transport;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.testsupport.PymodbusSimulator;
import io.commguard.gateway.testsupport.SocatPtyPair;
import io.commguard.gateway.validation.ProblemCollector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modbus RTU over a real serial line: a socat pseudo-terminal pair, the gateway on one end through
 * jSerialComm, pymodbus as RTU slave (two 0x6000 modules, unit 1 and 2) on the other.
 */
class ModbusRtuSerialIT {
  private static final String SPEC = """
      {"units": {
        "1": {"hr": {"0x6000": [100, 0, 0, 0, 0, 0, 1]}},
        "2": {"hr": {"0x6000": [32768, 57, 0, 0, 0, 0, 1]}}
      }}""";

  @TempDir Path dir;
  private SocatPtyPair line;
  private PymodbusSimulator slave;
  private ModbusSource source;

  @AfterEach
  void tearDown() {
    if (source != null) {
      source.close();
    }
    if (slave != null) {
      slave.close();
    }
    if (line != null) {
      line.close();
    }
  }

  @Test
  void rs485Modules_onSerialLine_reportStatusChanges() {
    line = SocatPtyPair.start(dir);
    slave = PymodbusSimulator.serial(dir, SPEC, line.deviceEnd());
    ModbusLinkConfig bus = new ModbusLinkConfig("bus-1", Transport.RTU, null, null, line.gatewayEnd(),
        9600, 8, 1, ModbusLinkConfig.Parity.NONE, 500, null, null, null, 20, null, null);
    ProblemCollector problems = new ProblemCollector("gateway.yaml");
    bus.validate("modbusLinks[0]", problems);
    assertThat(problems.problems()).isEmpty();
    var profile = TestProfiles.shipped("generic/rs485-gas-0x6000");
    RecordingSink sink = new RecordingSink();
    Counters counters = new Counters();
    source = ModbusSourceKit.start(List.of(bus), List.of(
        new ModbusDevice(new DeviceRef("gas-1", "generic-rs485-gas-0x6000", "", null, "kitchen"), "bus-1", 1, profile),
        new ModbusDevice(new DeviceRef("gas-2", "generic-rs485-gas-0x6000", "", null, "boiler room"), "bus-1", 2, profile)),
        sink, counters);

    awaitEvent(sink, "gas-1", "warm_up", Phase.ACTIVE);
    await().atMost(Duration.ofSeconds(15)).until(() -> !ModbusSourceIT.telemetry(sink, "gas-2").isEmpty());
    assertThat(measurement(ModbusSourceIT.telemetry(sink, "gas-2").get(0), "concentration").value())
        .isCloseTo(5.7, within(1e-9));

    slave.setHolding(1, 0x6000, 0x8000);
    awaitEvent(sink, "gas-1", "warm_up", Phase.INACTIVE);
    slave.setHolding(1, 0x6001, 260);
    slave.setHolding(1, 0x6000, 0x8001);
    ModbusSourceIT.awaitEvent(sink, "gas-1", "gas", Phase.ACTIVE, 2);
    assertThat(measurement(last(sink, "gas-1", "gas"), "concentration").value()).isCloseTo(26.0, within(1e-9));
    slave.setHolding(1, 0x6001, 520);
    slave.setHolding(1, 0x6000, 0x8003);
    ModbusSourceIT.awaitEvent(sink, "gas-1", "gas", Phase.ACTIVE, 1);
    slave.setHolding(1, 0x6006, 2);
    awaitEvent(sink, "gas-1", "module_failed", Phase.ACTIVE);
    assertThat(last(sink, "gas-1", "module_failed").type()).isEqualTo(CanonicalType.DEVICE_FAULT);
    assertThat(last(sink, "gas-1", "module_failed").nativeCode()).isEqualTo("runStatus=2");

    // Both units shared the bus without a single error: one request in flight, frames kept apart.
    assertThat(counters.total("modbus_errors")).isZero();
    assertThat(counters.get("modbus_polls", "gas-2", "ok")).isPositive();
  }

  @Test
  void serialLineLost_deviceGoesOffline_andRecoversWhenTheLineIsBack() {
    line = SocatPtyPair.start(dir);
    slave = PymodbusSimulator.serial(dir, SPEC, line.deviceEnd());
    ModbusLinkConfig bus = new ModbusLinkConfig("bus-1", Transport.RTU, null, null, line.gatewayEnd(),
        9600, 8, 1, ModbusLinkConfig.Parity.NONE, 500, null, null, null, 20, null, 4000);
    var profile = TestProfiles.shipped("generic/rs485-gas-0x6000");
    RecordingSink sink = new RecordingSink();
    Counters counters = new Counters();
    source = ModbusSourceKit.start(List.of(bus), List.of(
        new ModbusDevice(new DeviceRef("gas-2", "generic-rs485-gas-0x6000", "", null, ""), "bus-1", 2, profile)),
        sink, counters);
    await().atMost(Duration.ofSeconds(15)).until(() -> counters.get("modbus_polls", "gas-2", "ok") >= 2);

    // The USB adapter is unplugged: both ends of the line disappear.
    slave.close();
    line.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.count("gas-2", CanonicalType.DEVICE_OFFLINE, Phase.ACTIVE) == 1);

    line = SocatPtyPair.start(dir);
    slave = PymodbusSimulator.serial(dir, SPEC, line.deviceEnd());
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.count("gas-2", CanonicalType.DEVICE_OFFLINE, Phase.INACTIVE) == 1);
  }
}
