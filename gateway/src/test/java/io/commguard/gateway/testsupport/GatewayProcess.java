package io.commguard.gateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway ({@code gateway.jar} system property) run as a child process:
 * {@code java -jar gateway.jar run --config FILE}. Output goes to a log file next to the config.
 * {@link #kill()} sends SIGKILL (no shutdown hook runs), {@link #stop()} SIGTERM.
 */
public final class GatewayProcess implements AutoCloseable {
  private final Path config;
  private final Path log;
  private final List<String> jvmArgs;
  private Process process;
  private int starts;

  public GatewayProcess(Path config, String... jvmArgs) {
    this.config = config;
    this.log = config.resolveSibling(config.getFileName() + ".log");
    this.jvmArgs = List.of(jvmArgs);
  }

  public static Path jar() {
    String jar = System.getProperty("gateway.jar", "target/gateway.jar");
    Path path = Path.of(jar);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("gateway.jar not found at " + path + " (run mvn verify, which packages it first)");
    }
    return path;
  }

  public synchronized GatewayProcess start() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", jar().toString(), "run", "--config", config.toString()));
    try {
      Files.writeString(log, "=== start " + ++starts + " ===\n", java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** SIGKILL: the process gets no chance to flush or close anything. */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      process = null;
    }
  }

  /** SIGTERM, then SIGKILL after 15 s; returns the exit status (-1 if it was not running). */
  public synchronized int stop() throws InterruptedException {
    if (process == null) {
      return -1;
    }
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    int status = process.exitValue();
    process = null;
    return status;
  }

  /** Waits for the process to end by itself; returns its exit status. */
  public synchronized int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException("gateway still running after " + seconds + " s; log: " + log);
    }
    int status = process.exitValue();
    process = null;
    return status;
  }

  /** Sends SIGHUP, with bash's builtin kill (a minimal Debian has no procps). */
  public synchronized void hangUp() throws IOException, InterruptedException {
    new ProcessBuilder("bash", "-c", "kill -HUP " + process.pid()).inheritIO().start().waitFor();
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** Resident set size of the child in KiB, from /proc; -1 when unknown. */
  public long rssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  public Path log() {
    return log;
  }

  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
