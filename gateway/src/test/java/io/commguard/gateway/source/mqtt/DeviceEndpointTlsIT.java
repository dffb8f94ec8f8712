package io.commguard.gateway.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.source.mqtt.DeviceEndpointConfig;
import io.commguard.gateway.config.TlsConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.pipeline.EventSink;
import io.commguard.gateway.source.Ingest;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.security.DeviceAuthenticator;
import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.security.VerifiedPasswords;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.topic.TopicFilter;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device endpoint over mutual TLS, with certificates made by the openssl CLI and Mosquitto's
 * own client (mosquitto_pub) as the device: a device with a certificate from the configured CA
 * gets through; one without a certificate, or with one from another CA, is refused in the
 * handshake, before its password is ever looked at.
 */
class DeviceEndpointTlsIT {
  private static final String PASSWORD = "dev-secret-1";
  private static final PayloadDecoder DECODER = (device, topic, payload, at) -> List.of(new DeviceEvent(device,
      EventKind.ALARM, CanonicalType.valueOf(new String(payload, StandardCharsets.UTF_8)), 1, Phase.ACTIVE, "x", at, at,
      "", List.of(), List.of(), Map.of(), ""));

  @TempDir Path dir;
  private final Counters counters = new Counters();
  private final List<DeviceEvent> received = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor();
  private Vertx vertx;
  private DeviceAuthenticator authenticator;
  private int port;

  @BeforeEach
  void start() throws Exception {
    makeCa("ca");
    makeCa("rogue-ca");
    sign("server", "ca");
    sign("device", "ca");
    sign("rogue", "rogue-ca");
    vertx = Vertx.vertx();
    port = FreePort.next();
    DeviceBinding binding = new DeviceBinding(new DeviceRef("cam-01", "p", "m", null, ""), DECODER,
        new TopicFilter("devices/cam-01/#"), PasswordHash.hash(PASSWORD.toCharArray()));
    EventSink sink = (events, receipt) -> {
      received.addAll(events);
      return CompletableFuture.completedFuture(null);
    };
    Ingest ingest = new Ingest(sink, counters, retry);
    DeviceEndpointConfig config = new DeviceEndpointConfig(true, "127.0.0.1", port, 1024, new TlsConfig(
        file("ca.pem"), file("server.pem"), file("server.key")));
    authenticator = new DeviceAuthenticator(config.auth().policy(), new VerifiedPasswords(), System::nanoTime,
        List.of(binding.passwordHash()));
    MqttDevices devices = new MqttDevices(Map.of("cam-01", binding), d -> {
      throw new IllegalStateException("no registry in this test");
    });
    vertx.deployVerticle(new DeviceEndpoint(config, devices, ingest, authenticator, new ConnectionLimits(100, 10), counters,
        Clock.systemUTC())).await();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await();
    authenticator.close();
    retry.shutdownNow();
  }

  @Test
  void deviceWithACertificateFromTheCa_publishes() throws Exception {
    assertThat(publish("--cert", file("device.pem"), "--key", file("device.key"))).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
    assertThat(received.get(0).type()).isEqualTo(CanonicalType.FIRE_SMOKE);
  }

  @Test
  void deviceWithoutACertificate_orFromAnotherCa_isRefusedInTheHandshake() throws Exception {
    assertThat(publish()).isNotZero();
    assertThat(publish("--cert", file("rogue.pem"), "--key", file("rogue.key"))).isNotZero();
    assertThat(received).isEmpty();
  }

  /** mosquitto_pub as the device; its exit code says whether the QoS 1 publish was acknowledged. */
  private int publish(String... certArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port),
        "--cafile", file("ca.pem"), "-i", "cam-01", "-u", "cam-01", "-P", PASSWORD, "-q", "1",
        "-t", "devices/cam-01/event", "-m", "FIRE_SMOKE"));
    cmd.addAll(List.of(certArgs));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("pub.log").toFile()).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  private void makeCa(String name) throws Exception {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem", "-days",
        "1", "-subj", "/CN=" + name);
  }

  private void sign(String name, String ca) throws Exception {
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial", "-out",
        name + ".pem", "-days", "1", "-extfile", "san.ext");
  }

  private String file(String name) {
    return dir.resolve(name).toString();
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
