package io.commguard.gateway.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.Gateway;
import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.SourceTypes;
import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.config.ConfigSections;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.source.linefeed.LineFeedSourceType;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.PymodbusSimulator;
import io.commguard.gateway.testsupport.PymodbusSimulator.Framing;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every source must do, checked the same way for each: MQTT, Modbus, HTTP push, camera event streams and a line protocol that
 * exists only in this test (registered by adding it to the source list, nothing else). A device
 * declared in the config is heard and counted ({@code received}, {@code acknowledged} under its
 * id); a device added to the registry at run time is heard within two seconds; once removed it is
 * no longer heard; its neighbour is heard throughout.
 */
class SourceComplianceIT {
  /** A clean-air report of the shipped NB-IoT gas detector profile. */
  private static final String GAS_REPORT =
      "{\"imei\":\"868120300012345\",\"ts\":1795336000000,\"status\":\"normal\",\"gas\":{\"concentration\":1}}";
  @TempDir Path dir;
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  /** One protocol's way of configuring a device and making it send. */
  interface Driver extends AutoCloseable {
    /** Top-level config sections (YAML) this protocol needs. */
    String sections(Path dir) throws Exception;

    /** The n-th device (0, 1) of this protocol. */
    DeviceConfig device(String id, int n);

    /** Makes the device send once; true when the gateway took it in. */
    boolean send(Gateway gateway, String id, int n) throws Exception;

    @Override
    default void close() throws Exception {}
  }

  static Stream<Driver> drivers() {
    return Stream.of(new MqttDriver(), new ModbusDriver(), new LineDriver(), new HttpPushDriver(), new StreamDriver());
  }

  @AfterEach
  void stop() {
    for (int i = closeAfter.size() - 1; i >= 0; i--) {
      AutoCloseable c = closeAfter.get(i);
      try {
        c.close();
      } catch (Exception e) {
        // best effort: the next resource still closes
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drivers")
  void configuredDevice_heard_runtimeDevice_heardThenGone_neighbourThroughout(Driver driver) throws Exception {
    closeAfter.add(driver);
    MosquittoBroker city = MosquittoBroker.start(dir);
    closeAfter.add(city::stop);
    String yaml = """
        gatewayId: gw-compliance
        dataDir: '%s'
        devices:
          - %s
        uplink: {brokerUrl: %s, ackMode: broker}
        %s
        """.formatted(dir.resolve("data"), ConfigSections.tree(driver.device("dev-a", 0)), city.url(), driver.sections(dir));
    var config = ConfigLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "compliance.yaml");
    List<SourceType> sources = new ArrayList<>(SourceTypes.builtIn());
    sources.add(new LineFeedSourceType());
    Gateway gateway = Gateway.start(GatewayPlan.of(config, "compliance.yaml", sources), Clock.systemUTC());
    closeAfter.add(gateway);

    assertThat(driver.send(gateway, "dev-a", 0)).isTrue();
    assertThat(gateway.counters().get("received", "dev-a", null)).isPositive();
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.counters().get("acknowledged", "dev-a", null) > 0);

    gateway.registry().put(driver.device("dev-b", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    long added = System.nanoTime();
    assertThat(driver.send(gateway, "dev-b", 1)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - added)).isLessThan(Duration.ofSeconds(2));
    assertThat(gateway.counters().get("received", "dev-b", null)).isPositive();

    gateway.registry().remove("dev-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(driver.send(gateway, "dev-b", 1)).isFalse();
    assertThat(driver.send(gateway, "dev-a", 0)).isTrue();
  }

  /** Gas detectors publishing JSON to the embedded endpoint. */
  static final class MqttDriver implements Driver {
    private final int port = FreePort.next();
    private int clients;

    @Override
    public String sections(Path dir) {
      return "deviceEndpoint: {enabled: true, host: 127.0.0.1, port: " + port + "}";
    }

    @Override
    public DeviceConfig device(String id, int n) {
      return new DeviceConfig(id, "generic-nbiot-gas-detector", PasswordHash.hash((id + "-secret").toCharArray()),
          Site.UNKNOWN, "");
    }

    @Override
    public boolean send(Gateway gateway, String id, int n) throws Exception {
      MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, id + "-" + clients++, new MemoryPersistence());
      client.setTimeToWait(5_000);
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setUserName(id);
      o.setPassword((id + "-secret").getBytes(StandardCharsets.UTF_8));
      try {
        client.connect(o);
      } catch (MqttException refused) {
        client.close(true);
        return false;
      }
      MqttMessage m = new MqttMessage(GAS_REPORT.getBytes(StandardCharsets.UTF_8));
      m.setQos(1);
      client.publish("devices/" + id + "/report", m);
      client.disconnect();
      client.close(true);
      return true;
    }

    @Override
    public String toString() {
      return "mqtt";
    }
  }

  /** Sensors on one Modbus TCP link: "sending" is being polled. */
  static final class ModbusDriver implements Driver {
    private final java.util.Set<String> polledBefore = new java.util.HashSet<>();
    private PymodbusSimulator slave;

    @Override
    public String sections(Path dir) {
      slave = PymodbusSimulator.tcp(dir, """
          {"units": {
            "1": {"hr": {"0": [11, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 1]}},
            "2": {"hr": {"0": [22, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 1]}}
          }}""", Framing.TCP);
      return "modbusLinks: [{id: plant, transport: TCP, host: 127.0.0.1, port: " + slave.port() + ", timeoutMs: 1000}]";
    }

    @Override
    public DeviceConfig device(String id, int n) {
      return new DeviceConfig(id, "generic-reading-decimals-sensor", null, Site.UNKNOWN, "")
          .withBinding("modbus", Map.of("link", "plant", "unitId", n + 1));
    }

    /**
     * Heard when a poll reading reaches the pipeline within two of its 2-second intervals: the
     * first time for a device, any reading so far counts (its first poll comes at once); after
     * that, a new one.
     */
    @Override
    public boolean send(Gateway gateway, String id, int n) {
      long before = polledBefore.add(id) ? 0 : gateway.counters().get("received", id, null);
      try {
        await().atMost(Duration.ofMillis(4_500)).until(() -> gateway.counters().get("received", id, null) > before);
        return true;
      } catch (org.awaitility.core.ConditionTimeoutException silent) {
        return false;
      }
    }

    @Override
    public void close() {
      if (slave != null) {
        slave.close();
      }
    }

    @Override
    public String toString() {
      return "modbus";
    }
  }

  /** Devices pushing over HTTP: a POST in, 200 back once committed. */
  static final class HttpPushDriver implements Driver {
    private final int port = FreePort.next();
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    @Override
    public String sections(Path dir) {
      return "httpPush: {enabled: true, port: " + port + "}";
    }

    @Override
    public DeviceConfig device(String id, int n) {
      return new DeviceConfig(id, "generic-nbiot-gas-detector", null, Site.UNKNOWN, "")
          .withBinding("httpPush", Map.of("path", "/push/" + id));
    }

    @Override
    public boolean send(Gateway gateway, String id, int n) throws Exception {
      var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/push/" + id))
          .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(GAS_REPORT))
          .build();
      return http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    @Override
    public String toString() {
      return "httppush";
    }
  }

  /**
   * Cameras whose event stream the gateway holds open (Hikvision alertStream on one loopback server,
   * a path per camera): "sending" is writing an event part to the camera's open stream, heard when
   * the gateway counts it received.
   */
  static final class StreamDriver implements Driver {
    private static final String EVENT = "<EventNotificationAlert version=\"2.0\"><channelID>1</channelID>"
        + "<dateTime>2026-11-22T10:20:00+08:00</dateTime><eventType>fielddetection</eventType>"
        + "<eventState>active</eventState><eventDescription>Intrusion detection</eventDescription>"
        + "</EventNotificationAlert>";
    private final Map<String, io.vertx.core.http.HttpServerResponse> open = new java.util.concurrent.ConcurrentHashMap<>();
    private io.vertx.core.Vertx vertx;
    private io.vertx.core.http.HttpServer server;
    private Path password;

    /** Started at the first device (drivers are made before the test picks one). */
    private void start() throws Exception {
      vertx = io.vertx.core.Vertx.vertx();
      server = vertx.createHttpServer().requestHandler(request -> {
        String path = request.path();
        int slash = path.indexOf('/', 1);
        if (slash < 0) {
          request.response().setStatusCode(404).end();
          return;
        }
        String id = path.substring(1, slash);
        var response = request.response().setChunked(true).putHeader("Content-Type", "multipart/mixed; boundary=boundary");
        response.write("");
        open.put(id, response);
        response.closeHandler(v -> open.remove(id, response));
      }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      password = java.nio.file.Files.createTempFile("compliance-camera", ".password");
      java.nio.file.Files.writeString(password, "camera-pass\n");
    }

    @Override
    public String sections(Path dir) {
      return "eventStreams: {heartbeatSeconds: 5, silentAfterHeartbeats: 12}";
    }

    @Override
    public DeviceConfig device(String id, int n) {
      if (server == null) {
        try {
          start();
        } catch (Exception e) {
          throw new IllegalStateException("camera server did not start", e);
        }
      }
      return new DeviceConfig(id, "hikvision-isapi-camera", null, Site.UNKNOWN, "").withBinding("stream", Map.of(
          "url", "http://127.0.0.1:" + server.actualPort() + "/" + id + "/ISAPI/Event/notification/alertStream",
          "kind", "HIKVISION", "user", "gateway", "passwordFile", password.toString()));
    }

    @Override
    public boolean send(Gateway gateway, String id, int n) {
      long before = gateway.counters().get("received", id, null);
      try {
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(() -> open.containsKey(id));
        io.vertx.core.http.HttpServerResponse stream = open.get(id);
        if (stream == null) {
          return false;
        }
        stream.write("--boundary\r\nContent-Type: application/xml\r\nContent-Length: " + EVENT.length() + "\r\n\r\n"
            + EVENT + "\r\n");
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
            .until(() -> gateway.counters().get("received", id, null) > before);
        return true;
      } catch (org.awaitility.core.ConditionTimeoutException notHeard) {
        return false;
      }
    }

    @Override
    public void close() throws Exception {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        java.nio.file.Files.deleteIfExists(password);
      }
    }

    @Override
    public String toString() {
      return "stream";
    }
  }

  /** The test-only line protocol: a line in, "ok" back once committed. */
  static final class LineDriver implements Driver {
    private final int port = FreePort.next();

    @Override
    public String sections(Path dir) {
      return "lineFeed: {port: " + port + "}";
    }

    @Override
    public DeviceConfig device(String id, int n) {
      return new DeviceConfig(id, "generic-nbiot-gas-detector", null, Site.UNKNOWN, "").withBinding("lineFeed", true);
    }

    @Override
    public boolean send(Gateway gateway, String id, int n) throws Exception {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        out.write((id + " " + GAS_REPORT + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        return "ok".equals(reply);
      }
    }

    @Override
    public String toString() {
      return "linefeed";
    }
  }
}
