package io.commguard.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Mosquitto broker on a free loopback port, anonymous, no persistence, with {@code
 * set_tcp_nodelay true}: without it, a small PUBACK the broker owes a client holds back the next
 * PUBLISH to that client until the client's delayed ACK (~40 ms on Linux), which dominated the
 * city hop when the subscriber acknowledges batches. {@link #stop()} then
 * {@link #start()} keeps the port (the outage scenario).
 */
final class Mosquitto implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  private Mosquitto(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  static Mosquitto start(Path workDir, String name) throws IOException {
    Path dir = Files.createDirectories(workDir.resolve(name));
    Mosquitto m = new Mosquitto(dir, FreePort.next());
    m.start();
    return m;
  }

  void start() throws IOException {
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(conf, """
        listener %d 127.0.0.1
        allow_anonymous true
        persistence false
        max_queued_messages 1000000
        max_inflight_messages 0
        set_tcp_nodelay true
        log_dest none
        """.formatted(port));
    process = new ProcessBuilder(binary(), "-c", conf.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("mosquitto.log").toFile())
        .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IOException("mosquitto exited: see " + dir.resolve("mosquitto.log"));
        }
        sleep(20);
      }
    }
    throw new IOException("mosquitto did not listen on port " + port);
  }

  void stop() {
    if (process != null) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    stop();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Debian installs the broker in /usr/sbin, which a non-root PATH often lacks. */
  private static String binary() {
    Path debian = Path.of("/usr/sbin/mosquitto");
    return Files.isExecutable(debian) ? debian.toString() : "mosquitto";
  }
}
