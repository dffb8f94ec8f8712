package io.commguard.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.ProfileSections;
import io.commguard.gateway.profile.ProfileLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GatewayCliTest {
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"));

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;

  @BeforeEach
  void captureOutput() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreOutput() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  @Test
  void profilesValidate_shippedProfiles_exit0() {
    int code = run("profiles", "validate", PROFILES.toString());

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("profiles valid");
  }

  @Test
  void profilesValidate_brokenProfile_exit2AndNamesFilePathReason() throws Exception {
    Path broken = dir.resolve("acme/x1/profile.yaml");
    Files.createDirectories(broken.getParent());
    Files.writeString(broken, "id: acme-x1\nvendor: Acme\nmodel: X1\nprotocol: mqtt\ndescription: test\ndecode:\n  codec: yaml\n");

    int code = run("profiles", "validate", dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(broken.toString()).contains("decode.codec");
  }

  @Test
  void configValidate_unknownProfileAndBadKey_exit2WithEveryProblem() throws Exception {
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        gatewayId: gw-1
        profilesDir: '%s'
        devices:
          - {id: cam-1, profile: no-such-profile}
        uplink: {brokerUrl: 'tcp://127.0.0.1:1883'}
        """.formatted(PROFILES));

    int code = run("config", "validate", config.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("devices[0].profile").contains("no-such-profile");
  }

  @Test
  void configValidate_noProfilesDir_usesTheBuiltInProfiles() throws Exception {
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        gatewayId: gw-1
        devices:
          - {id: gas-1, profile: generic-nbiot-gas-detector}
        uplink: {brokerUrl: 'tcp://127.0.0.1:1883'}
        """);

    int code = run("config", "validate", config.toString());

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("valid (1 devices");
  }

  @Test
  void profilesList_builtIn_everyShippedProfileWithSourceAndEventTypes() {
    int code = run("profiles", "list");

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).isZero();
    assertThat(printed.lines().findFirst()).hasValueSatisfying(h -> assertThat(h).contains("ID", "SOURCE", "EVENT TYPES"));
    assertThat(printed.lines().skip(1)).hasSize(ProfileSections.loader().loadDirectory(PROFILES).size());
    assertThat(printed).containsPattern("hikvision-isapi-camera +MQTT +built-in +.*PERIMETER_INTRUSION")
        .containsPattern("generic-rs485-gas-0x6000 +MODBUS +built-in +.*GAS_LEAK");
  }

  @Test
  void profilesList_withDir_marksAddedAndReplacedProfiles() throws Exception {
    String camera = """
        id: %s
        vendor: Acme
        model: C-1
        protocol: MQTT
        description: test
        decode:
          codec: json
          code: {path: eventType, table: {throw: HIGH_ALTITUDE_THROW}}
        """;
    Files.createDirectories(dir.resolve("acme/c1"));
    Files.writeString(dir.resolve("acme/c1/profile.yaml"), camera.formatted("acme-c1"));
    Files.createDirectories(dir.resolve("own/dahua"));
    Files.writeString(dir.resolve("own/dahua/profile.yaml"), camera.formatted("dahua-ipc-event-stream"));

    int code = run("profiles", "list", "--dir", dir.toString());

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).isZero();
    assertThat(printed).containsPattern("acme-c1 +MQTT +dir +HIGH_ALTITUDE_THROW\\n")
        .containsPattern("dahua-ipc-event-stream +MQTT +dir \\(replaces built-in\\) +HIGH_ALTITUDE_THROW\\n")
        .containsPattern("hikvision-isapi-camera +MQTT +built-in ");
  }

  @Test
  void profilesList_badDir_exit2NamingTheFile() throws Exception {
    Path broken = dir.resolve("acme/x1/profile.yaml");
    Files.createDirectories(broken.getParent());
    Files.writeString(broken, "id: acme-x1\n");

    int code = run("profiles", "list", "--dir", dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(broken.toString());
  }

  @Test
  void hashPassword_printsAVerifiableHash_neverThePassword() {
    System.setIn(new java.io.ByteArrayInputStream("device-pass-123\n".getBytes(StandardCharsets.UTF_8)));

    int code = run("hash-password");

    String printed = out.toString(StandardCharsets.UTF_8).trim();
    assertThat(code).isZero();
    assertThat(printed).startsWith("pbkdf2-sha256$").doesNotContain("device-pass-123");
    assertThat(io.commguard.gateway.security.PasswordHash.verify("device-pass-123".toCharArray(), printed)).isTrue();
  }

  @Test
  void hashPasswordDigest_printsTheDigestValueOfThatDeviceAndRealm() {
    System.setIn(new java.io.ByteArrayInputStream("device-pass-123\n".getBytes(StandardCharsets.UTF_8)));

    int code = run("hash-password", "--digest", "cam-1");

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo("md5:" + io.commguard.gateway.digest.DigestMath
        .hex("MD5", "cam-1:commguard:device-pass-123".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void keysRotate_replacesTheKey_andPrintsBothIds() throws Exception {
    Path data = dir.resolve("data");
    String before = io.commguard.gateway.privacy.HashKey.loadOrCreate(data).id();

    int code = run("keys", "rotate", "--data-dir", data.toString());

    String after = io.commguard.gateway.privacy.HashKey.loadOrCreate(data).id();
    assertThat(code).isZero();
    assertThat(after).isNotEqualTo(before);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("old key id " + before, "new key id " + after, "Restart");
  }

  @Test
  void keysRotate_inADataDirOthersCanWrite_isRefusedWithTheFix() throws Exception {
    Path data = java.nio.file.Files.createDirectory(dir.resolve("open"));
    java.nio.file.Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(run("keys", "rotate", "--data-dir", data.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("chmod 700");
  }

  private static int run(String... args) {
    return new CommandLine(new GatewayCli()).execute(args);
  }
}
