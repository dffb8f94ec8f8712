package io.commguard.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.testsupport.GatewayProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, as a newcomer runs it: the packaged jar's {@code demo}, started in an
 * empty folder far from the source tree, shows alerts arriving (the jar carries its profiles).
 */
class DemoCommandIT {
  @TempDir Path dir;

  @Test
  void demo_packagedJarInEmptyFolder_printsCityAlertsAndStopsCleanly() throws Exception {
    Path jar = GatewayProcess.jar().toAbsolutePath();
    Path emptyFolder = Files.createDirectory(dir.resolve("empty"));
    Path output = dir.resolve("demo.out");
    Process demo = new ProcessBuilder(javaBinary(), "-Xmx128m", "-jar", jar.toString(), "demo", "--duration", "25")
        .directory(emptyFolder.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();

    boolean exited = demo.waitFor(90, TimeUnit.SECONDS);
    if (!exited) {
      demo.destroyForcibly();
    }
    List<String> lines = Files.readAllLines(output);
    assertThat(exited).as("demo stops by itself after --duration").isTrue();
    assertThat(demo.exitValue()).isZero();
    assertThat(lines).anyMatch(l -> l.startsWith("CITY <- ") && l.contains("PERIMETER_INTRUSION RAISED"));
    assertThat(lines).anyMatch(l -> l.startsWith("CITY <- ") && l.contains("GAS_LEAK") && l.contains(" L1 "));
    assertThat(lines).anyMatch(l -> l.startsWith("CITY <- ") && l.contains("DOOR_HELD_OPEN RAISED"));
    assertThat(lines).anyMatch(l -> l.startsWith("CITY <- ") && l.contains("GAS_LEAK CLEARED"));
    assertThat(String.join("\n", lines)).doesNotContain("3204871234").doesNotContain("Exception");
    try (var left = Files.list(emptyFolder)) {
      assertThat(left).as("the demo writes nothing into the folder it runs in").isEmpty();
    }
  }

  private static String javaBinary() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
