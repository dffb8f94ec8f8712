package io.commguard.gateway.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.config.DeviceEndpointConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.pipeline.EventSink;
import io.commguard.gateway.profile.DecodeException;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.security.VerifiedPasswords;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.topic.TopicFilter;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded endpoint against a real MQTT 5 client (Paho) on loopback. */
class DeviceEndpointTest {
  private static final String PASSWORD = "dev-secret-1";

  /** Test decoder: payload "TYPE" or "TYPE;bad" → one alarm event, or a decode error. */
  private static final PayloadDecoder DECODER = (device, topic, payload, at) -> {
    String text = new String(payload, StandardCharsets.UTF_8);
    if (text.endsWith(";bad")) {
      throw new DecodeException("payload.type", "wrong_type", "expected a type name");
    }
    return List.of(new DeviceEvent(device, EventKind.ALARM, CanonicalType.valueOf(text), 2, Phase.ACTIVE,
        text, at, at, "", List.of(), List.of(), Map.of(), ""));
  };

  private final Counters counters = new Counters();
  private final List<DeviceEvent> received = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> pendingAccepts = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor();
  private Vertx vertx;
  private int port;
  private MqttAsyncClient device;

  @BeforeEach
  void startEndpoint() throws Exception {
    vertx = Vertx.vertx();
    port = FreePort.next();
    DeviceRef ref = new DeviceRef("cam-01", "test-profile", "test", null, "gate 1");
    DeviceBinding binding = new DeviceBinding(ref, DECODER, new TopicFilter("devices/cam-01/#"),
        PasswordHash.hash(PASSWORD.toCharArray()));
    EventSink sink = event -> {
      received.add(event);
      CompletableFuture<Void> accepted = new CompletableFuture<>();
      pendingAccepts.add(accepted);
      return accepted;
    };
    MqttIngest ingest = new MqttIngest(sink, counters, Clock.systemUTC(), 1024, retry);
    DeviceEndpointConfig config = new DeviceEndpointConfig(true, "127.0.0.1", port, 1024, null);
    vertx.deployVerticle(new DeviceEndpoint(config, Map.of("cam-01", binding), ingest, new VerifiedPasswords(), counters))
        .await();
  }

  @AfterEach
  void stop() throws Exception {
    if (device != null) {
      if (device.isConnected()) {
        device.disconnectForcibly(0, 1000, false);
      }
      device.close(true);
    }
    vertx.close().await();
    retry.shutdownNow();
  }

  @Test
  void connect_wrongPassword_refusedAndCounted() {
    assertThatThrownBy(() -> connect("cam-01", "wrong")).isInstanceOf(MqttException.class);
    assertThat(counters.get("connections_refused", "cam-01", "bad_credentials")).isEqualTo(1);
  }

  @Test
  void connect_unknownDevice_refused() {
    assertThatThrownBy(() -> connect("intruder", PASSWORD)).isInstanceOf(MqttException.class);
    assertThat(counters.get("connections_refused", "intruder", "unknown_device")).isEqualTo(1);
  }

  @Test
  void publishQos1_pubackOnlyAfterPipelineAccepted() throws Exception {
    connect("cam-01", PASSWORD);

    IMqttToken token = device.publish("devices/cam-01/event", message("PERIMETER_INTRUSION", 1));
    await().until(() -> pendingAccepts.size() == 1);
    assertThat(token.isComplete()).as("PUBACK before the commit").isFalse();

    pendingAccepts.get(0).complete(null);
    token.waitForCompletion(5000);
    assertThat(token.isComplete()).isTrue();
    assertThat(received).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(CanonicalType.PERIMETER_INTRUSION));
  }

  @Test
  void publish_outsideOwnTopic_notIngestedButCounted() throws Exception {
    connect("cam-01", PASSWORD);

    device.publish("devices/cam-02/event", message("FIRE_SMOKE", 1)).waitForCompletion(5000);

    assertThat(received).isEmpty();
    assertThat(counters.get("rejected", "cam-01", "topic_not_allowed")).isEqualTo(1);
  }

  @Test
  void publish_malformedOrOversized_acknowledgedCountedAndConnectionKept() throws Exception {
    connect("cam-01", PASSWORD);

    device.publish("devices/cam-01/event", message("FIRE_SMOKE;bad", 1)).waitForCompletion(5000);
    device.publish("devices/cam-01/event", new MqttMessage(new byte[2000], 1, false, null)).waitForCompletion(5000);

    assertThat(counters.get("rejected", "cam-01", "wrong_type")).isEqualTo(1);
    assertThat(counters.get("rejected", "cam-01", "oversized_payload")).isEqualTo(1);
    assertThat(device.isConnected()).isTrue();
    assertThat(received).isEmpty();
  }

  @Test
  void subscribe_refused() throws Exception {
    connect("cam-01", PASSWORD);

    IMqttToken token = device.subscribe("devices/#", 1);
    token.waitForCompletion(5000);

    assertThat(token.getReasonCodes()).containsExactly(0x87);
  }

  private void connect(String user, String password) throws MqttException {
    device = new MqttAsyncClient("tcp://127.0.0.1:" + port, user + "-client", new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName(user);
    options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    options.setConnectionTimeout(5);
    device.connect(options).waitForCompletion(10_000);
  }

  private static MqttMessage message(String text, int qos) {
    return new MqttMessage(text.getBytes(StandardCharsets.UTF_8), qos, false, null);
  }
}
