package io.commguard.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
  void hashPassword_printsAVerifiableHash_neverThePassword() {
    System.setIn(new java.io.ByteArrayInputStream("device-pass-123\n".getBytes(StandardCharsets.UTF_8)));

    int code = run("hash-password");

    String printed = out.toString(StandardCharsets.UTF_8).trim();
    assertThat(code).isZero();
    assertThat(printed).startsWith("pbkdf2-sha256$").doesNotContain("device-pass-123");
    assertThat(io.commguard.gateway.security.PasswordHash.verify("device-pass-123".toCharArray(), printed)).isTrue();
  }

  private static int run(String... args) {
    return new CommandLine(new GatewayCli()).execute(args);
  }
}
