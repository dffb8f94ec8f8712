package io.commguard.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.Gateway;
import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.model.DeviceState;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.registry.Origin;
import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.status.SqliteStatusStore;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices added, changed, disabled and removed in the registry of a running gateway, with real MQTT
 * clients on the embedded endpoint: each change applies at once to the device it names and to no
 * other device's session.
 */
class LiveDevicesIT {
  private static final String NEIGHBOUR_PASSWORD = "neighbour-secret-1";
  private static final String TOKEN = "live-devices-it-token-0123456789";

  @TempDir Path dir;
  private MosquittoBroker city;
  private Gateway gateway;
  private final int endpointPort = FreePort.next();
  private final int adminPort = FreePort.next();
  private MqttClient neighbour;

  @BeforeEach
  void start() throws Exception {
    city = MosquittoBroker.start(dir);
    gateway = startGateway();
    neighbour = connect("gas-config", NEIGHBOUR_PASSWORD, new AtomicBoolean());
  }

  private Gateway startGateway() throws Exception {
    Path token = Files.writeString(dir.resolve("admin.token"), TOKEN);
    String yaml = """
        gatewayId: gw-live
        dataDir: '%s'
        deviceEndpoint: {enabled: true, host: 127.0.0.1, port: %d}
        devices:
          - id: gas-config
            profile: generic-nbiot-gas-detector
            passwordHash: '%s'
        uplink: {brokerUrl: %s, ackMode: broker}
        admin: {enabled: true, port: %d, tokenFile: '%s'}
        """.formatted(dir.resolve("data"), endpointPort, PasswordHash.hash(NEIGHBOUR_PASSWORD.toCharArray()), city.url(),
        adminPort, token);
    var config = ConfigLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "live.yaml");
    return Gateway.start(GatewayPlan.of(config, "live.yaml"), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    if (neighbour != null) {
      shut(neighbour);
    }
    if (gateway != null) {
      gateway.close();
    }
    city.stop();
  }

  /** Drops the connection if the gateway has not, then frees the client. */
  private static void shut(MqttClient client) throws MqttException {
    if (client.isConnected()) {
      client.disconnectForcibly(0, 1000, false);
    }
    client.close(true);
  }

  private static DeviceConfig gas(String id, String password) {
    return new DeviceConfig(id, "generic-nbiot-gas-detector", PasswordHash.hash(password.toCharArray()), Site.UNKNOWN, "Kitchen");
  }

  private MqttClient connect(String id, String password, AtomicBoolean lost) throws MqttException {
    MqttClient client = new MqttClient("tcp://127.0.0.1:" + endpointPort, id, new MemoryPersistence());
    client.setTimeToWait(5_000);
    client.setCallback(new LostFlag(lost));
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setUserName(id);
    o.setPassword(password.getBytes(StandardCharsets.UTF_8));
    o.setAutomaticReconnect(false);
    client.connect(o);
    return client;
  }

  private static void report(MqttClient client, String id, int lel) throws MqttException {
    String json = "{\"imei\":\"868120300012345\",\"ts\":1795336000000,\"status\":\"normal\",\"gas\":{\"concentration\":" + lel + "}}";
    MqttMessage m = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
    m.setQos(1);
    client.publish("devices/" + id + "/report", m); // returns after the PUBACK
  }

  @Test
  void deviceAddedAtRunTime_connectsWithinASecond_andItsReportsAreAcknowledged() throws Exception {
    gateway.registry().put(gas("gas-new", "new-device-secret")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    long added = System.nanoTime();
    MqttClient client = await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
        .ignoreExceptions().until(() -> connect("gas-new", "new-device-secret", new AtomicBoolean()), MqttClient::isConnected);
    assertThat(Duration.ofNanos(System.nanoTime() - added)).isLessThan(Duration.ofSeconds(1));
    report(client, "gas-new", 3);
    assertThat(gateway.counters().get("acknowledged", "gas-new", null)).isEqualTo(1);
    assertThat(gateway.registry().get("gas-new").origin()).isEqualTo(Origin.RUNTIME);
    shut(client);
  }

  @Test
  void removedDevice_sessionIsClosed_andRefused_neighbourUntouched() throws Exception {
    gateway.registry().put(gas("gas-gone", "gone-secret-1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    AtomicBoolean lost = new AtomicBoolean();
    MqttClient client = connect("gas-gone", "gone-secret-1", lost);

    gateway.registry().remove("gas-gone").toCompletableFuture().get(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(2)).untilTrue(lost);
    assertThatThrownBy(() -> connect("gas-gone", "gone-secret-1", new AtomicBoolean())).isInstanceOf(MqttException.class);
    assertThat(neighbour.isConnected()).isTrue();
    report(neighbour, "gas-config", 2);
    assertThat(gateway.counters().get("acknowledged", "gas-config", null)).isEqualTo(1);
    assertThat(gateway.counters().get("sessions_closed", "gas-gone", "device_changed")).isEqualTo(1);
    shut(client);
  }

  @Test
  void disabledDevice_isDisconnected_andEnabledAgain_connects() throws Exception {
    gateway.registry().put(gas("gas-off", "off-secret-12")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    AtomicBoolean lost = new AtomicBoolean();
    MqttClient client = connect("gas-off", "off-secret-12", lost);

    gateway.registry().setState("gas-off", DeviceState.DISABLED).toCompletableFuture().get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(2)).untilTrue(lost);
    assertThatThrownBy(() -> connect("gas-off", "off-secret-12", new AtomicBoolean())).isInstanceOf(MqttException.class);

    gateway.registry().setState("gas-off", DeviceState.COMMISSIONING).toCompletableFuture().get(5, TimeUnit.SECONDS);
    MqttClient again = connect("gas-off", "off-secret-12", new AtomicBoolean());
    report(again, "gas-off", 1);
    assertThat(neighbour.isConnected()).isTrue();
    shut(client);
    shut(again);
  }

  @Test
  void newPassword_takesEffectOnTheNextConnect_withoutDroppingTheSession() throws Exception {
    gateway.registry().put(gas("gas-rot", "old-secret-123")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    AtomicBoolean lost = new AtomicBoolean();
    MqttClient client = connect("gas-rot", "old-secret-123", lost);

    gateway.registry().put(gas("gas-rot", "new-secret-456")).toCompletableFuture().get(5, TimeUnit.SECONDS);

    report(client, "gas-rot", 1); // the session that logged in before the change goes on
    assertThat(lost).isFalse();
    assertThatThrownBy(() -> connect("gas-rot", "old-secret-123", new AtomicBoolean())).isInstanceOf(MqttException.class);
    shut(client);
    MqttClient renewed = connect("gas-rot", "new-secret-456", new AtomicBoolean());
    assertThat(renewed.isConnected()).isTrue();
    shut(renewed);
  }

  /** A device's status as the admin API shows it. */
  private JsonObject status(String id) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + adminPort + "/api/v1/devices/" + id)).header("Authorization", "Bearer " + TOKEN)
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonObject("status");
  }

  @Test
  void configDevice_isChangedOnlyThroughTheFile_andRuntimeDevicesSurviveARestart() throws Exception {
    assertThatThrownBy(() -> gateway.registry().remove("gas-config").toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasMessageContaining("declared in the config file");
    assertThatThrownBy(() -> gateway.registry().put(gas("gas-x", "x-secret-1234").withBinding("modbus",
        java.util.Map.of("link", "none"))).toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasMessageContaining("device 'gas-x'").hasMessageContaining("no modbus section");
    gateway.registry().put(gas("gas-kept", "kept-secret-1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    report(neighbour, "gas-config", 2);
    assertThatThrownBy(() -> connect("gas-kept", "wrong-password", new AtomicBoolean())).isInstanceOf(MqttException.class);
    JsonObject heard = status("gas-config");
    assertThat(heard.getString("connection")).isEqualTo("online");
    shut(neighbour);
    neighbour = null;
    gateway.close();

    gateway = startGateway();

    JsonObject afterRestart = status("gas-config");
    assertThat(afterRestart.getString("connection")).as("heard before the restart, not 'never'").isEqualTo("offline");
    assertThat(java.time.Instant.parse(afterRestart.getString("lastSeen")))
        .isEqualTo(java.time.Instant.parse(heard.getString("lastSeen")).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertThat(afterRestart.getJsonObject("lastEvent")).isNotNull().isEqualTo(heard.getJsonObject("lastEvent"));
    assertThat(afterRestart.getString("peer")).isEqualTo("127.0.0.1");
    JsonObject refused = status("gas-kept");
    assertThat(refused.getString("connection")).as("only ever refused").isEqualTo("never");
    assertThat(refused.getJsonObject("lastRejection").getString("reason")).isEqualTo("bad_credentials");
    Path data = dir.resolve("data");
    for (String file : List.of("devices.db", "users.db", SqliteStatusStore.FILE_NAME)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(file)))).as(file)
          .isEqualTo("rw-------");
    }

    assertThat(gateway.registry().get("gas-kept").origin()).isEqualTo(Origin.RUNTIME);
    MqttClient kept = connect("gas-kept", "kept-secret-1", new AtomicBoolean());
    assertThat(kept.isConnected()).isTrue();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(status("gas-kept").getString("connection"))
        .isEqualTo("online"));
    shut(kept);
  }

  /** Sets the flag when the gateway drops the connection. */
  private record LostFlag(AtomicBoolean lost) implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      lost.set(true);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      lost.set(true);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
  }
}
