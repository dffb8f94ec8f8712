package io.commguard.gateway.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A virtual serial line: two pseudo-terminals joined by socat (Debian package socat), one end for
 * the gateway, the other for the simulated RS-485 slave.
 */
public final class SocatPtyPair implements AutoCloseable {
  private final Process process;
  private final Path a;
  private final Path b;

  private SocatPtyPair(Process process, Path a, Path b) {
    this.process = process;
    this.a = a;
    this.b = b;
  }

  public static SocatPtyPair start(Path dir) {
    Path a = dir.resolve("ttyGateway");
    Path b = dir.resolve("ttyDevice");
    try {
      Process p = new ProcessBuilder("socat", "-d", "-d",
          "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("socat.log").toFile())
          .start();
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(a) && Files.exists(b));
      return new SocatPtyPair(p, a, b);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start socat (install the Debian package socat)", e);
    }
  }

  /** The end the gateway opens. */
  public String gatewayEnd() {
    return a.toString();
  }

  /** The end the simulated device opens. */
  public String deviceEnd() {
    return b.toString();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
