package io.commguard.bench;

import io.commguard.gateway.testsupport.GatewayProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway under test started the way a site starts it: through the shipped launcher
 * (deploy/commguard-gateway), so the benchmark measures the JVM line the project ships — edge flags
 * (serial GC, C1 only, small heap, code cache and stacks: peak RSS 131 MiB instead of 175–203 MiB at
 * 1,000 devices + 1,000 Modbus points/s, for about a quarter less peak ingest) and the class-data
 * archive the launcher makes at install time. The archive is made here once per jar (a training
 * run of a few seconds, before any scenario) unless the run asks to measure without it.
 */
final class EdgeJvm {
  private static final Pattern EDGE_FLAGS = Pattern.compile("(?m)^edge_flags=\"([^\"]*)\"$");

  private final Path launcher;
  private final Path jar;
  private final Path archive;
  private final boolean archiveUsed;

  private EdgeJvm(Path launcher, Path jar, Path archive, boolean archiveUsed) {
    this.launcher = launcher;
    this.jar = jar;
    this.archive = archive;
    this.archiveUsed = archiveUsed;
  }

  /**
   * With {@code cdsArchive}, makes the jar's archive ({@code gateway.jsa} beside it) if it is missing
   * or older than the jar; without, points the launcher at an archive that does not exist.
   */
  static EdgeJvm prepare(Path launcher, Path jar, boolean cdsArchive, Path work) throws IOException, InterruptedException {
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException("no gateway launcher at " + launcher + " (deploy/commguard-gateway)");
    }
    if (!cdsArchive) {
      return new EdgeJvm(launcher, jar, work.resolve("no-archive.jsa"), false);
    }
    Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", "") + ".jsa");
    if (!Files.isRegularFile(archive) || Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) < 0) {
      Path output = work.resolve("cds-archive.out");
      ProcessBuilder training = new ProcessBuilder(launcher.toString(), "cds-archive")
          .redirectErrorStream(true).redirectOutput(output.toFile());
      training.environment().put("COMMGUARD_JAR", jar.toString());
      training.environment().put("COMMGUARD_CDS_ARCHIVE", archive.toString());
      training.environment().put("JAVA", GatewayProcess.javaBinary());
      Process p = training.start();
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("the launcher could not make the class-data archive " + archive + "; see " + output);
      }
      System.out.println("Class-data archive made for " + jar + ": " + archive);
    }
    return new EdgeJvm(launcher, jar, archive, true);
  }

  /** Launches {@code launcher run --config config} with {@code extraJvmArgs} after the shipped flags. */
  GatewayProcess start(Path config, List<String> extraJvmArgs) {
    return GatewayProcess.throughLauncher(launcher, jar, archive, config, extraJvmArgs).start();
  }

  /** The JVM line as the launcher builds it, for the report. */
  String describe(List<String> extraJvmArgs) throws IOException {
    Matcher m = EDGE_FLAGS.matcher(Files.readString(launcher));
    String flags = m.find() ? m.group(1) : "(edge flags not found in " + launcher + ")";
    return "java " + flags + (archiveUsed ? " -XX:SharedArchiveFile=gateway.jsa" : "")
        + (extraJvmArgs.isEmpty() ? "" : " " + String.join(" ", extraJvmArgs)) + " -jar gateway.jar run --config ...";
  }
}
