package io.commguard.gateway.config;

import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.validation.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import io.commguard.gateway.source.mqtt.DeviceEndpointConfig;
import io.commguard.gateway.source.mqtt.MqttSourceType;
import io.commguard.gateway.validation.ProblemCollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.validation.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
  private static final String VALID = """
      gatewayId: gw-310115-0042
      deviceEndpoint:
        enabled: true
        port: 18830
      devices:
        - id: cam-01
          profile: hikvision-isapi-camera
          passwordHash: "%s"
          site: {communityCode: "310115001", building: "3"}
      uplink:
        brokerUrl: tcp://127.0.0.1:1883
        ackMode: platform
      """.formatted(PasswordHash.hash("s3cret-device".toCharArray()));

  @Test
  void parse_validFile_givesDefaultsForMissingKeys() throws Exception {
    GatewayConfig c = parse(VALID);

    assertThat(c.gatewayId()).isEqualTo("gw-310115-0042");
    assertThat(c.section("deviceEndpoint").get("port").asInt()).isEqualTo(18830);
    assertThat(c.devices().get(0).bindings()).isEmpty();
    assertThat(c.devices().get(0).site().building()).isEqualTo("3");
    assertThat(c.uplink().ackMode()).isEqualTo(UplinkConfig.AckMode.PLATFORM);
    assertThat(c.outbox().groupCommitMaxWaitMs()).isEqualTo(3);
  }

  @Test
  void ackDeadlines_perLevel_defaultTenSecondsForLevel1AndLongerForOthers() throws Exception {
    UplinkConfig defaults = parse(VALID).uplink();
    assertThat(java.util.stream.IntStream.rangeClosed(1, 4).map(defaults::ackTimeoutMs))
        .containsExactly(10_000, 30_000, 60_000, 60_000);
    assertThat(defaults.shortestAckTimeoutMs()).isEqualTo(10_000);

    UplinkConfig written = parse(VALID.replace("ackMode: platform",
        "ackMode: platform\n  ackTimeoutMsByLevel: {1: 5000, 3: 120000}")).uplink();
    assertThat(java.util.stream.IntStream.rangeClosed(1, 4).map(written::ackTimeoutMs))
        .as("unwritten levels keep their defaults").containsExactly(5_000, 30_000, 120_000, 60_000);

    UplinkConfig older = parse(VALID.replace("ackMode: platform", "ackMode: platform\n  ackTimeoutMs: 4000")).uplink();
    assertThat(java.util.stream.IntStream.rangeClosed(1, 4).map(older::ackTimeoutMs))
        .as("an older config's single deadline still applies to every level").containsExactly(4_000, 4_000, 4_000, 4_000);
  }

  @Test
  void plaintextDeviceEndpoint_offLoopback_loadsOnlyWithTheOptIn_orWithTls() throws Exception {
    String lan = VALID.replace("port: 18830", "port: 18830\n  host: 192.0.2.1");
    assertThat(endpoint(parse(lan.replace("host: 192.0.2.1", "host: 192.0.2.1\n  allowPlaintext: true")))
        .plaintextOffLoopback()).isTrue();
    GatewayConfig tls = parse(lan.replace("host: 192.0.2.1",
        "host: 192.0.2.1\n  tls: {certFile: e.pem, keyFile: e.key, caFile: ca.pem}"));
    assertThat(endpoint(tls).plaintextOffLoopback()).isFalse();
    assertThat(endpoint(parse(VALID.replace("port: 18830", "port: 18830\n  host: localhost")))
        .plaintextOffLoopback()).isFalse();
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of(VALID.replace("gatewayId: gw-310115-0042", "gatewayId: 'bad id'"), "gatewayId", "required"),
        Arguments.of(VALID.replace("port: 18830", "prot: 18830"), "deviceEndpoint.prot", "unknown key 'prot'"),
        Arguments.of(VALID.replace("port: 18830", "port: 70000"), "deviceEndpoint.port", "0-65535"),
        Arguments.of(VALID.replace("deviceEndpoint:", "deviceEndpont:"), "deviceEndpont",
            "did you mean 'deviceEndpoint'?; allowed: admin, dataDir, deviceEndpoint, devices, eventStreams, evidence, externalBroker, gatewayId, httpPush, log,"),
        Arguments.of(VALID.replace("profile: hikvision-isapi-camera", "profile: hikvision-isapi-camera\n    modbuss: {link: x}"),
            "devices[0].modbuss", "did you mean 'modbus'?"),
        Arguments.of(VALID.replaceAll("passwordHash: .*", "passwordHash: hunter2"), "devices[0].passwordHash", "plaintext"),
        Arguments.of(VALID.replaceAll("passwordHash: .*", "passwordHash: REPLACE-ME"), "devices[0].passwordHash",
            "placeholder: replace with the output of `gateway hash-password`"),
        Arguments.of(VALID.replace("profile: hikvision-isapi-camera", "profile: ''"), "devices[0].profile", "required"),
        Arguments.of(VALID.replace("ackMode: platform", "ackMode: sometimes"), "uplink.ackMode", "sometimes"),
        Arguments.of(VALID.replace("brokerUrl: tcp://127.0.0.1:1883", "brokerUrl: http://x"), "uplink.brokerUrl", "tcp://"),
        Arguments.of(VALID.replace("port: 18830", "port: eighty"), "deviceEndpoint.port", "eighty"),
        Arguments.of(VALID.replace("port: 18830", "port: 18830\n  host: 192.0.2.1"), "deviceEndpoint.tls",
            "unencrypted to 192.0.2.1: give tls.certFile and tls.keyFile"),
        Arguments.of(VALID.replace("port: 18830", "port: 18830\n  host: 0.0.0.0"), "deviceEndpoint.tls",
            "allowPlaintext: true"),
        Arguments.of(VALID + "externalBroker:\n  url: tcp://127.0.0.1:1\n  topics: ['site/+/event']\n",
            "externalBroker.topics[0]", "{deviceId}"),
        Arguments.of(VALID.replace("ackMode: platform", "ackMode: platform\n  ackTimeoutMsByLevel: {5: 1000}"),
            "uplink.ackTimeoutMsByLevel.5", "1 (most severe) to 4"),
        Arguments.of(VALID.replace("ackMode: platform", "ackMode: platform\n  ackTimeoutMsByLevel: {2: 10}"),
            "uplink.ackTimeoutMsByLevel.2", "at least 100"),
        Arguments.of(VALID.replace("uplink:", "  - id: cam-01\n    profile: x\nuplink:"), "devices[1].id", "duplicate"),
        Arguments.of(VALID + "admin:\n  enabled: true\n  tls: {certFile: /etc/commguard/admin.crt}\n", "admin.tls",
            "both certFile and keyFile"),
        Arguments.of(VALID + "admin:\n  enabled: true\n  host: 0.0.0.0\n  tls: {enabled: false}\n", "admin.tls.enabled",
            "HTTPS only"),
        Arguments.of(VALID + "admin:\n  enabled: true\n  sessionIdleMinutes: 600\n  sessionMaxHours: 8\n",
            "admin.sessionIdleMinutes", "must not exceed admin.sessionMaxHours"));
  }

  @ParameterizedTest
  @MethodSource("badFiles")
  void parse_invalidFile_namesPathAndReason(String yaml, String path, String reasonPart) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
            .anySatisfy(p -> {
              assertThat(p.file()).isEqualTo("gateway.yaml");
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.reason()).contains(reasonPart);
            }));
  }

  @Test
  void parse_severalProblems_reportsAll() {
    String yaml = VALID.replace("port: 18830", "port: 70000").replace("brokerUrl: tcp://127.0.0.1:1883", "brokerUrl: x");
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems()).hasSize(2));
  }

  @Test
  void hmacKeyFile_missingOrWrongLength_isNamedByConfigValidate(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path key = dir.resolve("uplink-hmac.key");
    String yaml = VALID.replace("ackMode: platform", "ackMode: platform\n  hmacKeyFile: " + key);

    assertThatThrownBy(() -> parse(yaml)).hasMessageContaining("uplink.hmacKeyFile").hasMessageContaining("no such file")
        .hasMessageContaining("head -c 32 /dev/urandom");
    Files.writeString(key, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
    assertThatThrownBy(() -> parse(yaml)).hasMessageContaining("uplink.hmacKeyFile").hasMessageContaining("65 bytes")
        .hasMessageContaining("not hex text");
    Files.write(key, new byte[32]);
    assertThat(parse(yaml).uplink().hmacKeyFile()).isEqualTo(key.toString());
  }

  /** The file as the gateway checks it: the core here, the sources' sections and the devices in the plan. */
  private static GatewayConfig parse(String yaml) throws Exception {
    Path file = Files.createTempFile("gateway", ".yaml");
    try {
      Files.writeString(file, yaml);
      return GatewayPlan.load(file).config();
    } catch (InvalidInputException e) {
      throw new InvalidInputException(e.problems().stream().map(p -> new Problem("gateway.yaml", p.path(), p.reason())).toList());
    } finally {
      Files.delete(file);
    }
  }

  private static DeviceEndpointConfig endpoint(GatewayConfig config) {
    return MqttSourceType.endpoint(config, new ProblemCollector("gateway.yaml"));
  }
}
