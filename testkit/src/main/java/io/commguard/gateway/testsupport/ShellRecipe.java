package io.commguard.gateway.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A documentation recipe run as written by {@code bash -eo pipefail}, with {@code gateway} defined
 * as {@code java -jar gateway.jar} (the docs' shorthand) and {@code java} the test's own JVM. Output
 * and errors go to one file. {@link #close()} stops the recipe and everything it started.
 */
public final class ShellRecipe implements AutoCloseable {
  private static final String PRELUDE = "gateway() { java -jar \"$GATEWAY_JAR\" \"$@\"; }\n";

  private final Process process;
  private final Path output;

  private ShellRecipe(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /**
   * Starts {@code script} in {@code workDir}; stdin is {@code stdin} (empty when null).
   *
   * @param env extra environment variables
   */
  public static ShellRecipe start(String script, Path workDir, Path output, String stdin, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder("bash", "-eo", "pipefail", "-c", PRELUDE + script)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    Path javaBin = Path.of(System.getProperty("java.home"), "bin");
    pb.environment().put("PATH", javaBin + ":" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin");
    pb.environment().put("GATEWAY_JAR", GatewayProcess.jar().toAbsolutePath().toString());
    pb.environment().putAll(env);
    try {
      Process process = pb.start();
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      return new ShellRecipe(process, output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code script} to the end (at most {@code timeout}) and returns its exit code. */
  public static int run(String script, Path workDir, Path output, String stdin, Duration timeout) throws InterruptedException {
    try (ShellRecipe recipe = start(script, workDir, output, stdin, Map.of())) {
      return recipe.exitCode(timeout);
    }
  }

  /** Waits for the recipe to end by itself; fails the test when it does not within {@code timeout}. */
  public int exitCode(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("recipe still running after " + timeout + "; output:\n" + output());
    }
    return process.exitValue();
  }

  /** Waits until the output contains {@code text} (the first output of a long-running recipe). */
  public void awaitOutput(String text, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(200))
        .failFast("recipe ended early:\n" + output(), () -> !process.isAlive() && !output().contains(text))
        .until(() -> output().contains(text));
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGTERM to the recipe's processes (children first, so a JVM runs its shutdown hooks), then SIGKILL. */
  @Override
  public void close() throws InterruptedException {
    java.util.List<ProcessHandle> started = process.descendants().toList();
    started.forEach(ProcessHandle::destroy);
    process.destroy();
    for (ProcessHandle p : started) {
      p.onExit().completeOnTimeout(p, 15, TimeUnit.SECONDS).join();
      p.destroyForcibly();
    }
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
