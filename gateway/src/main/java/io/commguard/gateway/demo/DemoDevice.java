package io.commguard.gateway.demo;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** A simulated device: an MQTT 5 client that logs in to the gateway's endpoint and publishes QoS 1. */
final class DemoDevice implements AutoCloseable {
  final String id;
  final String profile;
  final String password;
  private MqttAsyncClient client;

  DemoDevice(String id, String profile, String password) {
    this.id = id;
    this.profile = profile;
    this.password = password;
  }

  void connect(int port) throws MqttException {
    client = new MqttAsyncClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName(id);
    options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    options.setAutomaticReconnect(true);
    client.connect(options).waitForCompletion(10_000);
  }

  void publish(String payload) {
    try {
      client.publish("devices/" + id + "/event", new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, false, null));
    } catch (MqttException e) {
      System.err.println("demo device " + id + ": publish failed: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    if (client == null) {
      return;
    }
    try {
      if (client.isConnected()) {
        client.disconnect(1000).waitForCompletion(2000);
      }
      client.close(true);
    } catch (MqttException e) {
      // the demo is stopping; nothing left to do with this client
    }
  }
}
