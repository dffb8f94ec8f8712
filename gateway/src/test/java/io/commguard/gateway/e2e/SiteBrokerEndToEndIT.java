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
import io.commguard.gateway.testsupport.MosquittoBroker;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole data path with real parts: devices publish shipped-profile payloads to a site
 * Mosquitto, the gateway subscribes there (external-broker mode), decodes, filters, commits and
 * uplinks to a second Mosquitto acting as the city broker, where the reference receiver decodes
 * the batches and acknowledges them.
 */
class SiteBrokerEndToEndIT {
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"));

  @TempDir Path dir;
  private MosquittoBroker site;
  private MosquittoBroker city;
  private Gateway gateway;
  private CityReceiver receiver;
  private MqttClient devices;
  private final List<Alert> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    site = MosquittoBroker.start(dir);
    city = MosquittoBroker.start(dir);
    String yaml = """
        gatewayId: gw-e2e
        dataDir: '%s'
        profilesDir: '%s'
        externalBroker:
          url: %s
          topics: ['site/+/{deviceId}/event']
        devices:
          - {id: cam-1, profile: hikvision-isapi-camera, site: {communityCode: '310115001', building: '7'}}
          - {id: door-1, profile: hikvision-access-controller}
          - {id: gas-1, profile: generic-nbiot-gas-detector, location: boiler room}
        uplink:
          brokerUrl: %s
          ackMode: platform
        """.formatted(dir.resolve("data"), PROFILES, site.url(), city.url());
    var config = ConfigLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "e2e.yaml");
    receiver = new CityReceiver(CityReceiver.Options.of(city.url(), dir.resolve("received.jsonl")), received::add);
    receiver.start();
    gateway = Gateway.start(GatewayPlan.of(config, "e2e.yaml"), Clock.systemUTC());
    // The broker keeps the gateway's session once it exists; before the first subscription
    // nothing published is meant for the gateway yet.
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.counters().get("site_broker_subscribed") >= 1);
    devices = new MqttClient(site.url(), "device-sim", new MemoryPersistence());
    devices.connect();
  }

  @AfterEach
  void stop() throws Exception {
    if (devices != null) {
      devices.disconnect();
      devices.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    city.stop();
    site.stop();
  }

  @Test
  void shippedPayloads_becomeAcknowledgedAlertsAtTheCity_withoutPersonalData() throws Exception {
    publish("site/b7/cam-1/event", "hikvision/isapi-camera/cases/xml-field-detection-active/payload.xml");
    publish("site/b7/cam-1/event", "hikvision/isapi-camera/cases/xml-field-detection-repost/payload.xml");
    publish("site/gate/door-1/event", "hikvision/access-controller/cases/door-forced/payload.json");
    publish("site/gate/door-1/event", "hikvision/access-controller/cases/face-granted/payload.json");
    publish("site/boiler/gas-1/event", "generic/nbiot-gas-detector/cases/high-alarm/payload.json");
    publish("site/boiler/gas-1/event", "generic/nbiot-gas-detector/cases/malformed-json/payload.json");
    publishText("site/x/ghost-9/event", "{}");

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received)
        .extracting(Alert::getType)
        .contains(AlertType.PERIMETER_INTRUSION, AlertType.DOOR_FORCED, AlertType.GAS_LEAK));

    assertThat(received).filteredOn(a -> a.getType() == AlertType.PERIMETER_INTRUSION)
        .as("a camera re-post is the same episode, not a new alarm")
        .filteredOn(a -> a.getState() == AlertState.RAISED).hasSize(1);
    Alert gas = received.stream().filter(a -> a.getType() == AlertType.GAS_LEAK).findFirst().orElseThrow();
    assertThat(gas.getLevel()).isEqualTo(1);
    assertThat(gas.getDevice().getLocation()).isEqualTo("boiler room");
    assertThat(gas.getMeasurementsList()).anySatisfy(m -> assertThat(m.getUnit()).isEqualTo("%LEL"));
    Alert intrusion = received.stream().filter(a -> a.getType() == AlertType.PERIMETER_INTRUSION).findFirst().orElseThrow();
    assertThat(intrusion.getSite().getCommunityCode()).isEqualTo("310115001");
    assertThat(intrusion.getGatewayId()).isEqualTo("gw-e2e");
    assertThat(intrusion.getSequence()).isPositive();

    String everything = received.toString() + Files.readString(dir.resolve("received.jsonl"));
    assertThat(everything).doesNotContain("3204871234", "Wang Wu");
    await().untilAsserted(() -> {
      assertThat(gateway.counters().total("rejected")).isGreaterThanOrEqualTo(2);
      assertThat(gateway.counters().get("rejected", "ghost-9", "unknown_device")).isEqualTo(1);
    });
  }

  private void publish(String topic, String caseFile) throws Exception {
    devices.publish(topic, new MqttMessage(Files.readAllBytes(PROFILES.resolve(caseFile)), 1, false, null));
  }

  private void publishText(String topic, String text) throws Exception {
    devices.publish(topic, new MqttMessage(text.getBytes(StandardCharsets.UTF_8), 1, false, null));
  }
}
