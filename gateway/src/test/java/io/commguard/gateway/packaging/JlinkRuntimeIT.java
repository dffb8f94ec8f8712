package io.commguard.gateway.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional trimmed runtime ({@code deploy/jlink-runtime.sh}, {@code mvn -Pjlink package}) runs
 * the gateway without a JDK: {@code --version}, {@code config validate}, and a real start to
 * "Gateway ready" (SQLite's native library, Netty, the device endpoint) and a clean SIGTERM stop.
 * Uses the runtime the profile built, else builds one (jdeps and jlink, about half a minute).
 */
class JlinkRuntimeIT {
  private static final Path REPO = Path.of(System.getProperty("profiles.dir", "../device-profiles")).toAbsolutePath()
      .normalize().getParent();
  private static Path runtime;

  @TempDir Path dir;

  @BeforeAll
  static void runtime() throws Exception {
    Path built = GatewayProcess.jar().toAbsolutePath().getParent().resolve("runtime");
    if (!Files.isExecutable(built.resolve("bin/java"))) {
      built = GatewayProcess.jar().toAbsolutePath().getParent().resolve("jlink-it-runtime");
      Process p = new ProcessBuilder("sh", REPO.resolve("deploy/jlink-runtime.sh").toString(),
          GatewayProcess.jar().toString(), built.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
    }
    runtime = built;
  }

  @Test
  void runtime_isTrimmed_andHasTheModulesLoadedByName() throws Exception {
    String modules = run(List.of("--list-modules"), 0);
    assertThat(modules).contains("java.base@", "java.sql@", "jdk.unsupported@", "jdk.crypto.ec@", "jdk.charsets@")
        .doesNotContain("jdk.compiler@", "jdk.jshell@");
    assertThat(runtime.resolve("lib/server/classes.jsa")).as("base CDS archive, for the launcher's cds-archive").exists();
    long runtimeBytes = size(runtime);
    long jdkBytes = size(Path.of(System.getProperty("java.home")));
    assertThat(runtimeBytes).as("runtime %d bytes, JDK %d bytes", runtimeBytes, jdkBytes).isLessThan(jdkBytes / 2);
  }

  @Test
  void gateway_onTheRuntime_printsVersion_validates_startsAndStopsCleanly() throws Exception {
    assertThat(run(List.of("-jar", jar(), "--version"), 0)).contains("CommGuard gateway 0.1.0");
    Path config = Files.writeString(dir.resolve("gateway.yaml"), """
        gatewayId: gw-jlink
        dataDir: '%s'
        deviceEndpoint: {enabled: true, port: %d}
        uplink: {brokerUrl: 'tcp://127.0.0.1:%d', statusIntervalMs: 0}
        """.formatted(dir.resolve("data"), FreePort.next(), FreePort.next()));
    assertThat(run(List.of("-jar", jar(), "config", "validate", config.toString()), 0)).contains("valid");

    Path log = dir.resolve("gateway.log");
    Process gateway = new ProcessBuilder(runtime.resolve("bin/java").toString(), "-jar", jar(), "run", "--config",
        config.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> Files.readString(log).contains("Gateway ready") || !gateway.isAlive());
      assertThat(Files.readString(log)).contains("Gateway ready gateway=gw-jlink");
      gateway.destroy();
      assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(gateway.exitValue()).as(Files.readString(log)).isZero();
      assertThat(Files.readString(log)).contains("Gateway stopped signal=SIGTERM").doesNotContain(" ERROR ", "\tat ");
    } finally {
      gateway.destroyForcibly();
    }
  }

  private static String jar() {
    return GatewayProcess.jar().toString();
  }

  private String run(List<String> args, int expectedExit) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(runtime.resolve("bin/java").toString()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(expectedExit);
    return out;
  }

  private static long size(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
