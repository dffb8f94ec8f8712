package io.commguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway under test as a separate JVM ({@code java -Xmx128m -jar gateway.jar run --config
 * ...}), its output copied to {@code gateway.log}. Start-up is timed twice: from process launch to
 * the "Gateway ready" line (what an operator waits), and the {@code startup_ms} the gateway reports
 * itself (config and profiles loaded to sources listening, excluding JVM start).
 */
final class GatewayProcess implements AutoCloseable {
  /**
   * The JVM line the project ships for edge boxes (deploy/commguard-gateway.service, Dockerfile,
   * demo.sh): serial GC from a small initial heap, C1 only, small code cache and thread stacks.
   * Measured here: peak RSS 131 MiB instead of 175–203 MiB at 1,000 devices + 1,000 Modbus
   * points/s, for about a quarter less peak ingest.
   */
  static final List<String> EDGE_JVM_FLAGS = List.of("-Xms16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-XX:ReservedCodeCacheSize=24m", "-XX:MaxMetaspaceSize=64m", "-Xss256k");

  private static final Pattern READY = Pattern.compile("Gateway ready .*startup_ms=(\\d+)");

  private final Process process;
  private final Path log;
  private final CompletableFuture<Long> ready = new CompletableFuture<>();
  final long launchedNanos = System.nanoTime();
  long readyWallMs = -1;
  long startupMs = -1;

  private GatewayProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread pump = new Thread(this::pump, "gateway-log");
    pump.setDaemon(true);
    pump.start();
  }

  static GatewayProcess start(Path gatewayJar, Path config, Path dir, String heap, List<String> extraJvmArgs) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx" + heap));
    cmd.addAll(EDGE_JVM_FLAGS);
    cmd.addAll(extraJvmArgs);
    cmd.addAll(List.of("-jar", gatewayJar.toString(), "run", "--config", config.toString()));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    return new GatewayProcess(p, dir.resolve("gateway.log"));
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void pump() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Matcher m = READY.matcher(line);
        if (m.find() && !ready.isDone()) {
          readyWallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedNanos);
          startupMs = Long.parseLong(m.group(1));
          ready.complete(startupMs);
        }
      }
    } catch (IOException e) {
      // the process ended; nothing more to copy
    }
    ready.completeExceptionally(new IllegalStateException("gateway exited before it was ready; see " + log));
  }

  void awaitReady(Duration timeout) throws Exception {
    ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** SIGTERM (the gateway closes cleanly), then SIGKILL after 20 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
