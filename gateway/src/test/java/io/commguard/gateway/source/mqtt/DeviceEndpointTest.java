package io.commguard.gateway.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.source.Ingest;
import io.commguard.gateway.profile.DecodeException;
import io.commguard.gateway.profile.PayloadDecoder;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded endpoint against a real MQTT 5 client (Paho) on loopback. */
class DeviceEndpointTest {
  private static final String PASSWORD = EndpointFixture.PASSWORD;

  /** Test decoder: payload "TYPE" or "TYPE;bad" → one alarm event, or a decode error. */
  private static final PayloadDecoder DECODER = (device, topic, payload, at) -> {
    String text = new String(payload, StandardCharsets.UTF_8);
    if (text.endsWith(";bad")) {
      throw new DecodeException("payload.type", "wrong_type", "expected a type name");
    }
    return List.of(new DeviceEvent(device, EventKind.ALARM, CanonicalType.valueOf(text), 2, Phase.ACTIVE,
        text, at, at, "", List.of(), List.of(), Map.of(), ""));
  };

  private final EndpointFixture endpoint = new EndpointFixture(DECODER, null, true);
  private final Counters counters = endpoint.counters;
  private final List<DeviceEvent> received = endpoint.received;
  private final List<CompletableFuture<Void>> pendingAccepts = endpoint.pendingAccepts;
  private final int port = endpoint.port;
  private MqttAsyncClient device;

  @AfterEach
  void stop() throws Exception {
    if (device != null) {
      if (device.isConnected()) {
        device.disconnectForcibly(0, 1000, false);
      }
      device.close(true);
    }
    endpoint.close();
  }

  @Test
  void connect_wrongPassword_refusedAndCounted() {
    assertThatThrownBy(() -> connect("cam-01", "wrong")).isInstanceOf(MqttException.class);
    assertThat(counters.get("connections_refused", "cam-01", "bad_credentials")).isEqualTo(1);
  }

  @Test
  void connect_unknownDevice_refused() {
    assertThatThrownBy(() -> connect("intruder", PASSWORD)).isInstanceOf(MqttException.class);
    assertThat(counters.get("connections_refused", "_unknown", "unknown_device")).as("a stranger's name is no label").isEqualTo(1);
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

    IMqttToken token = device.publish("devices/cam-02/event", message("FIRE_SMOKE", 1));
    token.waitForCompletion(5000);

    assertThat(token.getReasonCodes()).as("PUBACK 0x87 Not authorized").containsExactly(0x87);
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
  void oversizedFrame_mqtt5PersistentSession_acknowledged0x97_laterAlarmsFlow_alsoAfterReconnect() throws Exception {
    MqttConnectionOptions options = connectPersistent();

    // 50 kB: far above the frame limit (1 KiB payload + 8 KiB framing), sent back to back with an alarm.
    IMqttToken big = device.publish("devices/cam-01/event", new MqttMessage(new byte[50_000], 1, false, null));
    IMqttToken alarm = device.publish("devices/cam-01/event", message("FIRE_SMOKE", 1));
    await().until(() -> pendingAccepts.size() == 1);
    pendingAccepts.get(0).complete(null);
    big.waitForCompletion(5000);
    alarm.waitForCompletion(5000);

    assertThat(big.getReasonCodes()).as("PUBACK 0x97: a limit was exceeded").containsExactly(0x97);
    assertThat(alarm.getReasonCodes()).containsExactly(0);
    assertThat(device.isConnected()).isTrue();
    assertThat(counters.get("rejected", "cam-01", "oversized_payload")).isEqualTo(1);

    device.disconnect().waitForCompletion(5000);
    device.connect(options).waitForCompletion(10_000);
    IMqttToken later = device.publish("devices/cam-01/event", message("GAS_LEAK", 1));
    await().until(() -> pendingAccepts.size() == 2);
    pendingAccepts.get(1).complete(null);
    later.waitForCompletion(5000);

    assertThat(received).extracting(DeviceEvent::type).containsExactly(CanonicalType.FIRE_SMOKE, CanonicalType.GAS_LEAK);
    assertThat(counters.get("rejected", "cam-01", "oversized_payload")).as("never sent again").isEqualTo(1);
  }

  @Test
  void oversizedFrame_mqtt311PersistentSession_acknowledged_laterAlarmsFlow_loggedOnce() throws Exception {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(Ingest.class.getName());
    List<String> lines = new CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        lines.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(capture);
    org.eclipse.paho.client.mqttv3.MqttAsyncClient v3 = new org.eclipse.paho.client.mqttv3.MqttAsyncClient(
        "tcp://127.0.0.1:" + port, "cam-01-v3", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    try {
      org.eclipse.paho.client.mqttv3.MqttConnectOptions options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
      options.setMqttVersion(org.eclipse.paho.client.mqttv3.MqttConnectOptions.MQTT_VERSION_3_1_1);
      options.setCleanSession(false);
      options.setUserName("cam-01");
      options.setPassword(PASSWORD.toCharArray());
      v3.connect(options).waitForCompletion(10_000);

      var big = v3.publish("devices/cam-01/event", new byte[50_000], 1, false);
      var alarm = v3.publish("devices/cam-01/event", "FIRE_SMOKE".getBytes(StandardCharsets.UTF_8), 1, false);
      await().until(() -> pendingAccepts.size() == 1);
      pendingAccepts.get(0).complete(null);
      big.waitForCompletion(5000);
      alarm.waitForCompletion(5000);
      assertThat(v3.isConnected()).as("the connection is kept").isTrue();

      // The session is persistent: had the big message not been acknowledged, Paho would send it
      // again first after this reconnect, and again after the next.
      v3.disconnect().waitForCompletion(5000);
      v3.connect(options).waitForCompletion(10_000);
      var later = v3.publish("devices/cam-01/event", "GAS_LEAK".getBytes(StandardCharsets.UTF_8), 1, false);
      await().until(() -> pendingAccepts.size() == 2);
      pendingAccepts.get(1).complete(null);
      later.waitForCompletion(5000);

      assertThat(received).extracting(DeviceEvent::type).containsExactly(CanonicalType.FIRE_SMOKE, CanonicalType.GAS_LEAK);
      assertThat(counters.get("rejected", "cam-01", "oversized_payload")).isEqualTo(1);
      assertThat(lines).filteredOn(l -> l.contains("oversized_payload")).singleElement()
          .satisfies(l -> assertThat(l).contains("device=cam-01").contains("bytes > limit 1024"));
    } finally {
      log.removeHandler(capture);
      if (v3.isConnected()) {
        v3.disconnectForcibly(0, 1000);
      }
      v3.close();
    }
  }

  @Test
  void subscribe_refused() throws Exception {
    connect("cam-01", PASSWORD);

    IMqttToken token = device.subscribe("devices/#", 1);
    token.waitForCompletion(5000);

    assertThat(token.getReasonCodes()).containsExactly(0x87);
  }

  @Test
  void publishQos2_outsideOwnTopic_pubrecSaysNotAuthorized() throws Exception {
    connect("cam-01", PASSWORD);

    IMqttToken token = device.publish("devices/cam-02/event", message("FIRE_SMOKE", 2));

    assertThatThrownBy(() -> token.waitForCompletion(5000)).isInstanceOf(MqttException.class)
        .satisfies(e -> assertThat(((MqttException) e).getReasonCode()).as("PUBREC 0x87 Not authorized").isEqualTo(0x87));
    assertThat(received).isEmpty();
    assertThat(counters.get("rejected", "cam-01", "topic_not_allowed")).isEqualTo(1);
  }

  @Test
  void publishMqtt311_outsideOwnTopic_connectionClosedWithoutPuback() {
    MqttClient client = MqttClient.create(endpoint.vertx, new MqttClientOptions().setClientId("cam-01-311")
        .setUsername("cam-01").setPassword(PASSWORD));
    client.connect(port, "127.0.0.1").await();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    client.closeHandler(v -> closed.complete(null));
    List<Integer> acked = new CopyOnWriteArrayList<>();
    client.publishCompletionHandler(acked::add);

    client.publish("devices/cam-02/event", Buffer.buffer("FIRE_SMOKE"), MqttQoS.AT_LEAST_ONCE, false, false);

    await().until(closed::isDone);
    assertThat(acked).as("no success PUBACK for a refused 3.1.1 publish").isEmpty();
    assertThat(received).isEmpty();
  }

  @Test
  void firstPacketNotConnect_orOversizedConnect_socketClosedAndCounted() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write(new byte[] {0x30, 0x02, 0x00, 0x00});
      assertThat(s.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
    }
    try (Socket s = new Socket("127.0.0.1", port)) {
      // CONNECT announcing 200 MB: refused from its 5-byte fixed header
      s.getOutputStream().write(new byte[] {0x10, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x60});
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(counters.get("connections_refused", null, "first_packet_not_connect")).isEqualTo(1);
    assertThat(counters.get("connections_refused", null, "oversized_connect")).isEqualTo(1);
  }

  /** Connects cam-01 with a session that outlives the connection (clean start off, one hour expiry). */
  private MqttConnectionOptions connectPersistent() throws MqttException {
    device = new MqttAsyncClient("tcp://127.0.0.1:" + port, "cam-01-persistent", new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName("cam-01");
    options.setPassword(PASSWORD.getBytes(StandardCharsets.UTF_8));
    options.setCleanStart(false);
    options.setSessionExpiryInterval(3600L);
    options.setConnectionTimeout(5);
    device.connect(options).waitForCompletion(10_000);
    return options;
  }

  @Test
  void manyPublishesInOneTcpWrite_allAcknowledged_noFrameError() throws Exception {
    int count = 200;
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(packet(0x10, concat(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, (byte) 0xC2, 0, 60},
          utf8("cam-01-raw"), utf8("cam-01"), utf8(PASSWORD))));
      assertThat(s.getInputStream().readNBytes(4)).containsExactly(0x20, 2, 0, 0);
      java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
      for (int id = 1; id <= count; id++) {
        batch.writeBytes(packet(0x32, concat(utf8("devices/cam-01/event"), new byte[] {(byte) (id >> 8), (byte) id},
            "FIRE_SMOKE;bad".getBytes(StandardCharsets.UTF_8))));
      }
      s.getOutputStream().write(batch.toByteArray()); // several packets share each read on the gateway's side

      byte[] acks = s.getInputStream().readNBytes(4 * count);
      assertThat(acks).hasSize(4 * count);
      for (int i = 0; i < count; i++) {
        assertThat(acks[4 * i] & 0xff).as("PUBACK").isEqualTo(0x40);
      }
    }
    assertThat(counters.get("rejected", "cam-01", "wrong_type")).isEqualTo(count);
    assertThat(counters.total("connection_errors")).isZero();
  }

  private static byte[] packet(int header, byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(header);
    int length = body.length;
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static byte[] utf8(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return concat(new byte[] {(byte) (b.length >> 8), (byte) b.length}, b);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
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
