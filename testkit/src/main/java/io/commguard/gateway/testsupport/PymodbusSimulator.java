package io.commguard.gateway.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Modbus slave: pymodbus (Debian python3-pymodbus, run with the Debian /usr/bin/python3)
 * serving register maps from a JSON spec over Modbus TCP, RTU framing over TCP, or RTU on a serial
 * port; scripted through {@link #command}. See {@code src/test/resources/modbus/modbus_sim.py}.
 * {@link #stop()} then {@link #start()} keeps the same port, for "device stopped" tests.
 */
public final class PymodbusSimulator implements AutoCloseable {
  /** Framing over TCP. */
  public enum Framing { TCP, RTU_OVER_TCP }

  private static final String PYTHON = "/usr/bin/python3";

  private final Path dir;
  private final Path spec;
  private final List<String> args;
  private final int port;
  private Process process;
  private Writer stdin;
  private BlockingQueue<String> lines;

  private PymodbusSimulator(Path dir, Path spec, List<String> args, int port) {
    this.dir = dir;
    this.spec = spec;
    this.args = args;
    this.port = port;
  }

  /** Serves {@code specJson} on a free loopback port. */
  public static PymodbusSimulator tcp(Path workDir, String specJson, Framing framing) {
    int port = FreePort.next();
    Path spec = writeSpec(workDir, specJson, "tcp-" + port);
    PymodbusSimulator sim = new PymodbusSimulator(workDir, spec, List.of(
        "--framer", framing == Framing.TCP ? "socket" : "rtu", "--tcp-port", Integer.toString(port)), port);
    sim.start();
    return sim;
  }

  /** Serves {@code specJson} as an RTU slave on a serial device (e.g. one end of a socat pty pair). */
  public static PymodbusSimulator serial(Path workDir, String specJson, String device) {
    Path spec = writeSpec(workDir, specJson, "serial-" + System.nanoTime());
    PymodbusSimulator sim = new PymodbusSimulator(workDir, spec, List.of("--framer", "rtu", "--serial", device), -1);
    sim.start();
    return sim;
  }

  private static Path writeSpec(Path dir, String json, String name) {
    try {
      return Files.writeString(dir.resolve("modbus-spec-" + name + ".json"), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized void start() {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, script().toString(), "--spec", spec.toString()));
    cmd.addAll(args);
    try {
      process = new ProcessBuilder(cmd)
          .redirectError(dir.resolve("pymodbus-" + spec.getFileName() + ".log").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + PYTHON + " (install the Debian package python3-pymodbus)", e);
    }
    stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    lines = queue;
    Process p = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          queue.add(line);
        }
      } catch (IOException ignored) {
        // process ended
      }
    }, "pymodbus-stdout");
    reader.setDaemon(true);
    reader.start();
    String first = next(Duration.ofSeconds(20));
    if (!"READY".equals(first)) {
      throw new IllegalStateException("pymodbus simulator did not start: " + first + " (see " + dir + ")");
    }
  }

  /** Sends one command line and waits until the simulator has applied it. */
  public synchronized void command(String line) {
    try {
      stdin.write(line + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String answer = next(Duration.ofSeconds(10));
    if (!"OK".equals(answer)) {
      throw new IllegalStateException("command '" + line + "' failed: " + answer);
    }
  }

  /** Sets holding registers of one unit. */
  public void setHolding(int unit, int address, int... values) {
    StringBuilder sb = new StringBuilder("set " + unit + " hr " + address);
    for (int v : values) {
      sb.append(' ').append(v);
    }
    command(sb.toString());
  }

  private String next(Duration timeout) {
    try {
      String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return line == null ? "<no answer in " + timeout + ">" : line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "<interrupted>";
    }
  }

  public int port() {
    return port;
  }

  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    stop();
  }

  private static Path script() {
    try {
      return Path.of(PymodbusSimulator.class.getResource("/modbus/modbus_sim.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until a TCP simulator accepts connections again after {@link #start()}. */
  public void awaitAccepting() {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    });
  }
}
