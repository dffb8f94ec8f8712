package io.commguard.gateway.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Mosquitto broker on a free loopback port, started as a child process for one test and
 * stopped after it. Anonymous access on loopback only. {@link #stop()} then {@link #start()} again
 * keeps the same port, so a test can simulate a broker outage. {@code set_tcp_nodelay}: without it,
 * a small PUBACK the broker owes a client holds back the next PUBLISH to that client until the
 * client's delayed ACK (~40 ms on Linux), which dominated the city hop in the benchmark when the
 * subscriber acknowledges batches.
 */
public final class MosquittoBroker implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  private MosquittoBroker(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static MosquittoBroker start(Path workDir) {
    MosquittoBroker broker = new MosquittoBroker(workDir, FreePort.next());
    broker.start();
    return broker;
  }

  public synchronized void start() {
    try {
      Path conf = dir.resolve("mosquitto-" + port + ".conf");
      Files.writeString(conf, String.join("\n",
          "listener " + port + " 127.0.0.1",
          "allow_anonymous true",
          "persistence false",
          "max_inflight_messages 0",
          "max_queued_messages 1000000",
          "set_tcp_nodelay true",
          "log_type error",
          ""));
      process = new ProcessBuilder(mosquittoBinary(), "-c", conf.toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("mosquitto-" + port + ".log").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start mosquitto (install the Debian package 'mosquitto')", e);
    }
    await().atMost(Duration.ofSeconds(10)).until(this::accepting);
  }

  public synchronized void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  public int port() {
    return port;
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  private boolean accepting() {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String mosquittoBinary() {
    for (String candidate : new String[] {"/usr/sbin/mosquitto", "/usr/bin/mosquitto"}) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return "mosquitto";
  }

  @Override
  public void close() {
    stop();
  }
}
