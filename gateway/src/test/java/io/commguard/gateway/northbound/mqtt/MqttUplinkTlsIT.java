package io.commguard.gateway.northbound.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.config.TlsConfig;
import io.commguard.gateway.config.UplinkConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.northbound.Delivery;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.outbox.Drafts;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.receiver.CityReceiver;
import io.commguard.gateway.testsupport.FreePort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uplink over mutual TLS: a Mosquitto listener that requires a client certificate signed by a
 * test CA (made with the openssl CLI), the gateway presenting PEM files from {@code uplink.tls}.
 */
class MqttUplinkTlsIT {
  @TempDir Path dir;

  @Test
  void uplink_overMutualTls_withPemFiles_delivers() throws Exception {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
        "-subj", "/CN=commguard-test-ca");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    for (String name : new String[] {"server", "client"}) {
      openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj",
          "/CN=" + name);
      openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
          name + ".pem", "-days", "1", "-extfile", "san.ext");
    }
    int plainPort = FreePort.next();
    int tlsPort = FreePort.next();
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(conf, String.join("\n",
        "allow_anonymous true",
        "persistence false",
        // As root, mosquitto would switch to its own user and could not read the 0700 test directory.
        "user root",
        "per_listener_settings false",
        "listener " + plainPort + " 127.0.0.1",
        "listener " + tlsPort + " 127.0.0.1",
        "cafile " + dir.resolve("ca.pem"),
        "certfile " + dir.resolve("server.pem"),
        "keyfile " + dir.resolve("server.key"),
        "require_certificate true",
        ""));
    Process mosquitto = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
    Counters counters = new Counters();
    SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir.resolve("gw"), "gw-tls", counters);
    TlsConfig tls = new TlsConfig(dir.resolve("ca.pem").toString(), dir.resolve("client.pem").toString(),
        dir.resolve("client.key").toString());
    Delivery uplink = MqttNorthbound.uplink(MqttNorthbound.NAME, new UplinkConfig("ssl://127.0.0.1:" + tlsPort, null, null, null, null, null, null,
        null, null, null, null, tls), "gw-tls").delivery("gw-tls", outbox, counters);
    Set<String> received = ConcurrentHashMap.newKeySet();
    CityReceiver receiver = new CityReceiver(CityReceiver.Options.of("tcp://127.0.0.1:" + plainPort,
        dir.resolve("received.db")), a -> received.add(a.getAlertId()));
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> accepting(plainPort) && accepting(tlsPort));
      receiver.start();
      outbox.start(List.of("uplink"));
      uplink.start();
      AlertDraft fire = Drafts.alarm("smoke-1", CanonicalType.FIRE_SMOKE, 1);
      outbox.append(List.of(fire)).toCompletableFuture().join();

      await().atMost(Duration.ofSeconds(30)).until(() -> received.contains(fire.alertId()));
      assertThat(uplink.healthy()).isTrue();
    } finally {
      uplink.stop();
      outbox.close();
      receiver.close();
      mosquitto.destroy();
      mosquitto.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "openssl";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  private static boolean accepting(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
