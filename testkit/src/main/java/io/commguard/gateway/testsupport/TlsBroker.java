package io.commguard.gateway.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto listener on loopback that requires a client certificate, with a throw-away PKI made
 * by the openssl CLI: {@code ca.pem}, {@code server.pem}/{@code .key} (for 127.0.0.1) and
 * {@code receiver.pem}/{@code .key} signed by it.
 */
public final class TlsBroker {
  /** What runs while the broker is up: its TLS port and the folder holding the PEM files. */
  @FunctionalInterface
  public interface Body {
    void run(int tlsPort, Path pki) throws Exception;
  }

  private TlsBroker() {}

  public static void withMutualTls(Path workDir, Body body) throws Exception {
    Path pki = Files.createTempDirectory(workDir, "pki-");
    openssl(pki, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
        "-subj", "/CN=commguard-test-ca");
    Files.writeString(pki.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    for (String name : new String[] {"server", "receiver"}) {
      openssl(pki, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj",
          "/CN=" + name);
      openssl(pki, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
          "-out", name + ".pem", "-days", "1", "-extfile", "san.ext");
    }
    int port = FreePort.next();
    Path conf = Files.writeString(pki.resolve("mosquitto.conf"), String.join("\n",
        "allow_anonymous true",
        "persistence false",
        // As root, mosquitto would switch to its own user and could not read the 0700 test directory.
        "user root",
        "listener " + port + " 127.0.0.1",
        "cafile " + pki.resolve("ca.pem"),
        "certfile " + pki.resolve("server.pem"),
        "keyfile " + pki.resolve("server.key"),
        "require_certificate true",
        ""));
    Process mosquitto = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString())
        .redirectErrorStream(true).redirectOutput(pki.resolve("mosquitto.log").toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> accepting(port));
      body.run(port, pki);
    } finally {
      mosquitto.destroy();
      mosquitto.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "openssl";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }

  private static boolean accepting(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
