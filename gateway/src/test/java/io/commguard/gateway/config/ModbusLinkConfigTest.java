package io.commguard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.config.ModbusLinkConfig.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModbusLinkConfigTest {

  private static ModbusLinkConfig tcp(String id, String host, Integer port) {
    return new ModbusLinkConfig(id, Transport.TCP, host, port, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void defaults_followTheTransport() {
    ModbusLinkConfig t = tcp("t", "10.0.0.5", null);
    assertThat(t.port()).isEqualTo(502);
    assertThat(t.maxConcurrentRequests()).isEqualTo(1);
    assertThat(t.interFrameDelayMs()).isZero();
    assertThat(t.offlineAfterFailures()).isEqualTo(3);
    assertThat(t.maxBackoffMs()).isEqualTo(60_000);
    ModbusLinkConfig rtu = new ModbusLinkConfig("r", Transport.RTU, null, null, "/dev/ttyUSB0", null, null, null, null,
        null, null, null, 8, null, null, null);
    assertThat(rtu.maxConcurrentRequests()).isEqualTo(1);
    assertThat(rtu.interFrameDelayMs()).isEqualTo(20);
    assertThat(rtu.baudRate()).isEqualTo(9600);
  }

  @Test
  void validateAll_reportsEveryProblemWithItsPath() {
    List<ModbusLinkConfig> links = List.of(
        tcp("a", null, 70000),
        new ModbusLinkConfig("a", Transport.RTU, "host", null, null, 5, null, null, null, 10, null, 9, null, null, null, null),
        new ModbusLinkConfig("dtu", Transport.RTU_OVER_TCP, "10.0.0.9", null, null, null, null, null, null, null, null, null, null, null, null, null));
    List<DeviceConfig> devices = List.of(
        new DeviceConfig("g1", "p", null, null, null, null, new DeviceModbusConfig("a", 1)),
        new DeviceConfig("g2", "p", null, null, null, null, new DeviceModbusConfig("a", 1)),
        new DeviceConfig("g3", "p", null, null, null, null, new DeviceModbusConfig("nope", 1)),
        new DeviceConfig("g4", "p", null, null, null, null, new DeviceModbusConfig("dtu", 0)),
        new DeviceConfig("mqtt", "p", "hash", null, null, null));
    ProblemCollector problems = new ProblemCollector("gateway.yaml");
    ModbusLinkConfig.validateAll(links, devices, problems);
    assertThat(problems.problems()).extracting(Problem::path).containsExactlyInAnyOrder(
        "modbusLinks[0].host",
        "modbusLinks[0].port",
        "modbusLinks[1].serialPort",
        "modbusLinks[1].host",
        "modbusLinks[1].baudRate",
        "modbusLinks[1].timeoutMs",
        "modbusLinks[1].retries",
        "modbusLinks[1].id",
        "modbusLinks[2].port",
        "devices[1].modbus.unitId",
        "devices[2].modbus.link",
        "devices[3].modbus.unitId");
  }
}
