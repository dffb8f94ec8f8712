package io.commguard.gateway.source.modbus;

import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.config.GatewayConfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.source.modbus.ModbusLinkConfig.Transport;
import io.commguard.gateway.validation.InvalidInputException;
import io.commguard.gateway.validation.Problem;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModbusLinkConfigTest {

  private static ModbusLinkConfig tcp(String id, String host, Integer port) {
    return new ModbusLinkConfig(id, Transport.TCP, host, port, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  private static final String YAML = """
      gatewayId: gw-1
      uplink:
        brokerUrl: tcp://127.0.0.1:1883
      modbusLinks:
        - id: plant-room
          transport: TCP
          host: 192.0.2.10
        - id: b3-bus
          transport: RTU_OVER_TCP
          host: 192.0.2.20
          port: 4001
          timeoutMs: 800
          interFrameDelayMs: 50
        - id: local-485
          transport: RTU
          serialPort: /dev/ttyUSB0
          baudRate: 9600
          parity: EVEN
      devices:
        - id: gas-b3-1
          profile: generic-rs485-gas-0x6000
          location: B3 boiler room
          modbus: {link: b3-bus, unitId: 7}
        - id: gas-plant
          profile: honeywell-midas
          modbus: {link: plant-room}
      """;

  @Test
  void configFile_withModbusLinksAndDevices_loads() throws Exception {
    GatewayConfig c = plan(YAML).config();
    assertThat(links(c)).extracting(ModbusLinkConfig::transport)
        .containsExactly(Transport.TCP, Transport.RTU_OVER_TCP, Transport.RTU);
    assertThat(links(c).get(1).interFrameDelayMs()).isEqualTo(50);
    assertThat(links(c).get(2).parity()).isEqualTo(ModbusLinkConfig.Parity.EVEN);
    ProblemCollector problems = new ProblemCollector("t");
    assertThat(ModbusSourceType.placement(c.devices().get(0), "d", problems)).isEqualTo(new DeviceModbusConfig("b3-bus", 7));
    assertThat(ModbusSourceType.placement(c.devices().get(1), "d", problems).unitId()).isEqualTo(1);
  }

  @Test
  void configEnums_followTheSameSpellingRuleAsProfiles() throws Exception {
    String spelt = YAML.replace("transport: RTU_OVER_TCP", "transport: rtuOverTcp").replace("parity: EVEN", "parity: even");
    GatewayConfig c = plan(spelt).config();
    assertThat(links(c).get(1).transport()).isEqualTo(Transport.RTU_OVER_TCP);
    assertThat(links(c).get(2).parity()).isEqualTo(ModbusLinkConfig.Parity.EVEN);

    String typo = YAML.replace("transport: RTU_OVER_TCP", "transport: rtuOvrTcp");
    var thrown = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> plan(typo),
        InvalidInputException.class);
    assertThat(thrown.problems()).extracting(Problem::toString).singleElement().asString()
        .startsWith("gateway.yaml: modbusLinks[1].transport: must be one of TCP, RTU, RTU_OVER_TCP, was 'rtuOvrTcp'; did you mean 'RTU_OVER_TCP'?");
  }

  @Test
  void misspeltConfigKey_getsASuggestion() {
    String typo = YAML.replace("timeoutMs: 800", "timeotMs: 800");
    var thrown = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> plan(typo),
        InvalidInputException.class);
    assertThat(thrown.problems()).extracting(Problem::toString).singleElement().asString()
        .startsWith("gateway.yaml: modbusLinks[1].timeotMs: unknown key 'timeotMs'")
        .contains("; did you mean 'timeoutMs'?; allowed: ");
  }

  @Test
  void configFile_withBadModbusPart_namesFileAndPath() {
    String bad = YAML.replace("unitId: 7", "unitId: 300").replace("port: 4001\n    ", "");
    var thrown = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> plan(bad),
        InvalidInputException.class);
    assertThat(thrown.problems()).extracting(Problem::toString).contains(
        "gateway.yaml: devices[0].modbus.unitId: must be 1..247 on a RTU_OVER_TCP link (0 is broadcast on RTU), was 300",
        "gateway.yaml: modbusLinks[1].port: required for a RTU_OVER_TCP link (serial device servers use their own port)");
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
    List<ModbusLinkConfig.Placed> devices = List.of(
        new ModbusLinkConfig.Placed("devices[0].modbus", new DeviceModbusConfig("a", 1)),
        new ModbusLinkConfig.Placed("devices[1].modbus", new DeviceModbusConfig("a", 1)),
        new ModbusLinkConfig.Placed("devices[2].modbus", new DeviceModbusConfig("nope", 1)),
        new ModbusLinkConfig.Placed("devices[3].modbus", new DeviceModbusConfig("dtu", 0)));
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

  private static GatewayPlan plan(String yaml) throws java.io.IOException {
    GatewayConfig config = ConfigLoader.parse(new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        "gateway.yaml");
    return GatewayPlan.of(config, "gateway.yaml");
  }

  private static List<ModbusLinkConfig> links(GatewayConfig c) {
    return ModbusSourceType.links(c, new ProblemCollector("t"));
  }
}
