package io.commguard.gateway.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.config.TlsConfig;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.profile.PayloadDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
  private static final String PASSWORD = EndpointFixture.PASSWORD;
  private static final PayloadDecoder DECODER = (device, topic, payload, at) -> List.of(new DeviceEvent(device,
      EventKind.ALARM, CanonicalType.valueOf(new String(payload, StandardCharsets.UTF_8)), 1, Phase.ACTIVE, "x", at, at,
      "", List.of(), List.of(), Map.of(), ""));

  @TempDir static Path dir;
  private static EndpointFixture endpoint;

  @BeforeAll
  static void start() throws Exception {
    makeCa("ca");
    makeCa("rogue-ca");
    sign("server", "ca");
    sign("device", "ca");
    sign("rogue", "rogue-ca");
    endpoint = new EndpointFixture(DECODER, new TlsConfig(file("ca.pem"), file("server.pem"), file("server.key")), false);
  }

  @AfterAll
  static void stop() {
    endpoint.close();
  }

  @BeforeEach
  void nothingReceivedYet() {
    endpoint.received.clear();
  }

  @Test
  void deviceWithACertificateFromTheCa_publishes() throws Exception {
    assertThat(publish("--cert", file("device.pem"), "--key", file("device.key"))).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> !endpoint.received.isEmpty());
    assertThat(endpoint.received.get(0).type()).isEqualTo(CanonicalType.FIRE_SMOKE);
  }

  @Test
  void deviceWithoutACertificate_orFromAnotherCa_isRefusedInTheHandshake() throws Exception {
    assertThat(publish()).isNotZero();
    assertThat(publish("--cert", file("rogue.pem"), "--key", file("rogue.key"))).isNotZero();
    assertThat(endpoint.received).isEmpty();
  }

  /** mosquitto_pub as the device; its exit code says whether the QoS 1 publish was acknowledged. */
  private static int publish(String... certArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(endpoint.port),
        "--cafile", file("ca.pem"), "-i", "cam-01", "-u", "cam-01", "-P", PASSWORD, "-q", "1",
        "-t", "devices/cam-01/event", "-m", "FIRE_SMOKE"));
    cmd.addAll(List.of(certArgs));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("pub.log").toFile()).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  private static void makeCa(String name) throws Exception {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem", "-days",
        "1", "-subj", "/CN=" + name);
  }

  private static void sign(String name, String ca) throws Exception {
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial", "-out",
        name + ".pem", "-days", "1", "-extfile", "san.ext");
  }

  private static String file(String name) {
    return dir.resolve(name).toString();
  }

  private static void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
