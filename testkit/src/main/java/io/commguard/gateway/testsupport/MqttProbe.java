package io.commguard.gateway.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A plain MQTT 5 client for tests: records every message on its subscriptions and publishes. (Paho
 * 1.2.5's listener-taking {@code subscribe} overloads recurse forever, so this uses a callback.)
 */
public final class MqttProbe implements AutoCloseable {
  private final MqttClient client;
  private final List<byte[]> messages = new CopyOnWriteArrayList<>();

  public MqttProbe(String brokerUrl, String clientId) throws MqttException {
    client = new MqttClient(brokerUrl, clientId, new MemoryPersistence());
    client.setCallback(new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse response) {}

      @Override
      public void mqttErrorOccurred(MqttException exception) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        messages.add(message.getPayload());
      }

      @Override
      public void deliveryComplete(IMqttToken token) {}

      @Override
      public void connectComplete(boolean reconnect, String serverURI) {}

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    });
    client.connect();
  }

  public MqttProbe subscribe(String topicFilter) throws MqttException {
    client.subscribe(topicFilter, 1);
    return this;
  }

  public void publish(String topic, byte[] payload, int qos) throws MqttException {
    client.publish(topic, payload, qos, false);
  }

  public List<byte[]> messages() {
    return messages;
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect();
    }
    client.close();
  }
}
