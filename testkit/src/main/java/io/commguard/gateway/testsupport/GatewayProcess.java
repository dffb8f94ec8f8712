package io.commguard.gateway.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged gateway run as a child process: {@code java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
 * -jar gateway.jar run --config FILE} (the shipped line's compiler and collector), or
 * through the shipped launcher ({@link #throughLauncher}).
 * Output goes to a log file next to the config. {@link #kill()} sends SIGKILL (no shutdown hook
 * runs), {@link #stop()} SIGTERM. {@link #awaitReady} times a start the way an operator sees it:
 * from launch to the gateway's "Gateway ready" line.
 */
public final class GatewayProcess implements AutoCloseable {
  /**
   * The compiler and collector of the shipped JVM line (deploy/commguard-gateway), before the
   * caller's flags (later flags win): a start then costs about half the CPU of the JVM's defaults
   * (C2, G1), which on a 2-core box is most of a test's wait for its gateway.
   */
  private static final List<String> SHIPPED_COMPILER_AND_GC = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  private static final Pattern READY = Pattern.compile("Gateway ready .*startup_ms=(\\d+)");
  /** How often {@link #awaitReady} reads the log: the error of its wall-clock figure. */
  private static final Duration READY_POLL = Duration.ofMillis(5);

  /**
   * One start as timed by {@link #awaitReady}.
   *
   * @param wallMs from launch until the ready line was seen (JVM start included)
   * @param reportedMs the {@code startup_ms} the gateway reports itself (config loaded to sources
   *     listening, JVM start excluded)
   */
  public record Ready(long wallMs, long reportedMs) {}

  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  private Process process;
  private int starts;
  private long launchedNanos;
  private long logOffsetAtLaunch;

  /** The jar named by the {@code gateway.jar} system property (what {@code mvn verify} packaged). */
  public GatewayProcess(Path config, String... jvmArgs) {
    this(jar(), config, List.of(jvmArgs));
  }

  /** {@code java jvmArgs -jar jar run --config config}, on the JVM that runs this code. */
  public GatewayProcess(Path jar, Path config, List<String> jvmArgs) {
    this(config, javaCommand(jvmArgs, jar, config), Map.of());
  }

  private GatewayProcess(Path config, List<String> command, Map<String, String> environment) {
    this.log = config.resolveSibling(config.getFileName() + ".log");
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
  }

  /**
   * Through the shipped launcher script ({@code deploy/commguard-gateway run --config config}), so
   * the JVM line is exactly the one a site runs. The launcher is told the jar, the class-data archive
   * (a path that does not exist: none) and the JVM that runs this code; {@code javaOpts} come after
   * its flags.
   */
  public static GatewayProcess throughLauncher(Path launcher, Path jar, Path cdsArchive, Path config,
      List<String> javaOpts) {
    return new GatewayProcess(config, List.of(launcher.toString(), "run", "--config", config.toString()), Map.of(
        "COMMGUARD_JAR", jar.toString(),
        "COMMGUARD_CDS_ARCHIVE", cdsArchive.toString(),
        "JAVA", javaBinary(),
        "JAVA_OPTS", String.join(" ", javaOpts)));
  }

  public static Path jar() {
    String jar = System.getProperty("gateway.jar", "target/gateway.jar");
    Path path = Path.of(jar);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("gateway.jar not found at " + path + " (run mvn verify, which packages it first)");
    }
    return path;
  }

  /** The java binary of the JVM that runs this code. */
  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static List<String> javaCommand(List<String> jvmArgs, Path jar, Path config) {
    List<String> cmd = new ArrayList<>();
    // As systemd starts it: SIGHUP at its default, even when this JVM's parent ignores it (nohup,
    // some CI runners), since an ignored signal stays ignored across exec.
    cmd.addAll(List.of("env", "--default-signal=HUP"));
    cmd.add(javaBinary());
    cmd.addAll(SHIPPED_COMPILER_AND_GC);
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
    return cmd;
  }

  public synchronized GatewayProcess start() {
    try {
      Files.writeString(log, "=== start " + ++starts + " ===\n", java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      logOffsetAtLaunch = Files.size(log);
      launchedNanos = System.nanoTime();
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** {@link System#nanoTime()} when the current start was launched. */
  public synchronized long launchedNanos() {
    return launchedNanos;
  }

  /**
   * Waits for the current start's "Gateway ready" line; fails at once, naming the log, if the
   * process ends first.
   */
  public Ready awaitReady(Duration timeout) {
    long[] reported = {-1};
    await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(READY_POLL).until(() -> {
      Matcher m = READY.matcher(outputSinceLaunch());
      if (m.find()) {
        reported[0] = Long.parseLong(m.group(1));
        return true;
      }
      if (!alive()) {
        throw new IllegalStateException("gateway exited before it was ready; see " + log);
      }
      return false;
    });
    return new Ready(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedNanos()), reported[0]);
  }

  private synchronized String outputSinceLaunch() throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      byte[] bytes = new byte[(int) Math.max(0, file.length() - logOffsetAtLaunch)];
      file.seek(logOffsetAtLaunch);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
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
      return ProcStats.rssKib(pid());
    } catch (UncheckedIOException e) {
      return -1;
    }
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
