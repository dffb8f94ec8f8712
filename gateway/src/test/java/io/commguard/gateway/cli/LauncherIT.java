package io.commguard.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped launcher (deploy/commguard-gateway): it makes the class-data archive, the JVM maps it
 * when it is current, and a missing, outdated, writable-by-others or damaged archive never stops a
 * start — the gateway comes up without it and the launcher says why.
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of(System.getProperty("deploy.dir", "../deploy"), "commguard-gateway");
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void archiveMade_mappedWhenCurrent_startsWithoutItWhenMissingGarbageWritableOrOutdated() throws Exception {
    Path jar = Files.copy(GatewayProcess.jar(), dir.resolve("gateway.jar"));
    Path archive = dir.resolve("gateway.jsa");
    Process training = launcher(jar, archive, "cds-archive").start();
    assertThat(training.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(training.exitValue()).as(Files.readString(dir.resolve("launcher.out"))).isZero();
    assertThat(Files.size(archive)).isPositive();
    assertThat(dir.resolve("gateway.jsa.log")).content().contains("Demo stopped");

    try (MosquittoBroker city = MosquittoBroker.start(dir)) {
      Path config = Files.writeString(dir.resolve("gateway.yaml"), """
          gatewayId: gw-launcher
          dataDir: %s
          deviceEndpoint: {enabled: true, host: 127.0.0.1, port: %d}
          uplink: {brokerUrl: '%s'}
          """.formatted(dir.resolve("data"), FreePort.next(), city.url()));

      assertThat(startAndReadMaps(jar, archive, config)).as("the JVM maps the current archive").contains(archive.toString());

      Path missing = dir.resolve("missing.jsa");
      assertThat(startAndReadMaps(jar, missing, config)).doesNotContain(missing.toString());
      assertThat(lastStartLog(config)).contains("no class-data archive at " + missing + "; starting without it");

      Path garbage = Files.writeString(dir.resolve("garbage.jsa"), "not an archive\n");
      assertThat(startAndReadMaps(jar, garbage, config)).as("the JVM itself refuses it").doesNotContain(garbage.toString());

      Path writable = Files.copy(archive, dir.resolve("writable.jsa"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      Files.setPosixFilePermissions(writable, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
      assertThat(startAndReadMaps(jar, writable, config)).as("others could inject code").doesNotContain(writable.toString());
      assertThat(lastStartLog(config)).contains("class-data archive " + writable + " is writable by group or others");

      Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() + 60_000));
      assertThat(startAndReadMaps(jar, archive, config)).doesNotContain(archive.toString());
      assertThat(lastStartLog(config)).contains("class-data archive " + archive + " is older than the jar or the JVM");
    }
  }

  private ProcessBuilder launcher(Path jar, Path archive, String... args) {
    ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString());
    builder.command().addAll(List.of(args));
    builder.environment().putAll(Map.of("COMMGUARD_JAR", jar.toString(), "COMMGUARD_CDS_ARCHIVE", archive.toString(),
        "JAVA", GatewayProcess.javaBinary()));
    return builder.redirectErrorStream(true).redirectOutput(dir.resolve("launcher.out").toFile());
  }

  /** Starts the gateway through the launcher until it is ready; returns its memory map, then stops it. */
  private String startAndReadMaps(Path jar, Path archive, Path config) throws Exception {
    try (GatewayProcess gateway = GatewayProcess.throughLauncher(LAUNCHER, jar, archive, config, List.of()).start()) {
      gateway.awaitReady(START);
      String maps = Files.readString(Path.of("/proc", Long.toString(gateway.pid()), "maps"));
      assertThat(gateway.stop()).isZero();
      return maps;
    }
  }

  private static String lastStartLog(Path config) throws Exception {
    String log = Files.readString(config.resolveSibling(config.getFileName() + ".log"));
    return log.substring(log.lastIndexOf("=== start"));
  }
}
