package io.commguard.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertState;
import io.commguard.alert.v1.AlertType;
import io.commguard.gateway.Gateway;
import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.receiver.CityReceiver;
import io.commguard.gateway.rule.RuleEngine;
import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the maintenance-window attack of the hostile-LAN review against the real data path: a
 * window "until the end of time" and an overflowing duration sent to the admin API, then a real gas
 * detector's HIGH report over the embedded MQTT endpoint, acknowledged and delivered to a city
 * Mosquitto where the reference receiver decodes it.
 */
class MaintenanceSecurityIT {
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"));
  private static final String TOKEN = "maintenance-it-token-0123456789";
  private static final String DEVICE_PASSWORD = "gas-device-secret";
  private static final String SITE = "310115001/B3";

  @TempDir Path dir;
  private MosquittoBroker city;
  private CityReceiver receiver;
  private Gateway gateway;
  private MqttClient device;
  private final List<Alert> received = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final int endpointPort = FreePort.next();
  private final int adminPort = FreePort.next();

  @BeforeEach
  void start() throws Exception {
    city = MosquittoBroker.start(dir);
    Path token = dir.resolve("admin.token");
    Files.writeString(token, TOKEN);
    String yaml = """
        gatewayId: gw-sec
        dataDir: '%s'
        profilesDir: '%s'
        deviceEndpoint: {enabled: true, host: 127.0.0.1, port: %d}
        devices:
          - id: gas-1
            profile: generic-nbiot-gas-detector
            passwordHash: '%s'
            site: {communityCode: '310115001', building: B3}
        uplink: {brokerUrl: %s, ackMode: platform}
        admin: {enabled: true, port: %d, tokenFile: '%s'}
        """.formatted(dir.resolve("data"), PROFILES, endpointPort, PasswordHash.hash(DEVICE_PASSWORD.toCharArray()),
        city.url(), adminPort, token);
    var config = ConfigLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "sec.yaml");
    receiver = new CityReceiver(CityReceiver.Options.of(city.url(), dir.resolve("received.jsonl")), received::add);
    receiver.start();
    gateway = Gateway.start(GatewayPlan.of(config, "sec.yaml"), Clock.systemUTC());
    device = new MqttClient("tcp://127.0.0.1:" + endpointPort, "gas-1", new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setUserName("gas-1");
    o.setPassword(DEVICE_PASSWORD.getBytes(StandardCharsets.UTF_8));
    device.setTimeToWait(10_000);
    device.connect(o);
  }

  @AfterEach
  void stop() throws Exception {
    if (device != null && device.isConnected()) {
      device.disconnect();
    }
    if (device != null) {
      device.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    city.stop();
  }

  @Test
  void windowUntilTheEndOfTime_isRefused_andAGasHighStillGetsItsPubackAndItsAlert() throws Exception {
    HttpResponse<String> endOfTime = postMaintenance("{\"site\":\"" + SITE + "\",\"until\":\"+999999999-12-31T23:59:59Z\"}");
    assertThat(endOfTime.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(endOfTime.body()).getString("error")).contains("more than 24 h ahead");
    HttpResponse<String> hugeDuration = postMaintenance("{\"site\":\"" + SITE + "\",\"duration\":\"PT999999999999999H\"}");
    assertThat(hugeDuration.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(hugeDuration.body()).getString("error")).contains("longer than 24 h");

    publishHigh(); // returns once the PUBACK is in: the alert is committed to the outbox
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received)
        .anySatisfy(a -> {
          assertThat(a.getType()).isEqualTo(AlertType.GAS_LEAK);
          assertThat(a.getState()).isEqualTo(AlertState.RAISED);
          assertThat(a.getLevel()).isEqualTo(1);
          assertThat(a.getAttributesMap()).doesNotContainKey(RuleEngine.DURING_MAINTENANCE);
        }));
    assertThat(gateway.counters().get("tick_failed")).isZero();
    Path data = dir.resolve("data");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
    for (String file : List.of("hash.key", "outbox.db")) {
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(file))))
          .as(file).isEqualTo("rw-------");
    }
    assertThat(gateway.counters().total("rule_step_failed")).isZero();
  }

  @Test
  void validWindow_isAnnouncedToTheCity_andALevelOneAlarmInsideItTravelsFlagged() throws Exception {
    assertThat(postMaintenance("{\"site\":\"" + SITE + "\",\"duration\":\"PT1H\"}").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> has(AlertType.MAINTENANCE, AlertState.RAISED));

    publishHigh();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received)
        .filteredOn(a -> a.getType() == AlertType.GAS_LEAK && a.getState() == AlertState.RAISED)
        .singleElement()
        .satisfies(a -> assertThat(a.getAttributesMap()).containsEntry(RuleEngine.DURING_MAINTENANCE, "site:" + SITE)));

    HttpResponse<String> end = http.send(admin("/maintenance?site=" + SITE).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(end.statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> has(AlertType.MAINTENANCE, AlertState.CLEARED));
  }

  private boolean has(AlertType type, AlertState state) {
    return received.stream().anyMatch(a -> a.getType() == type && a.getState() == state);
  }

  private void publishHigh() throws Exception {
    byte[] payload = Files.readAllBytes(PROFILES.resolve("generic/nbiot-gas-detector/cases/high-alarm/payload.json"));
    MqttMessage m = new MqttMessage(payload);
    m.setQos(1);
    device.publish("devices/gas-1/event", m);
  }

  private HttpResponse<String> postMaintenance(String body) throws Exception {
    return http.send(admin("/maintenance").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder admin(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5));
  }
}
