package io.commguard.gateway.demo;

import com.google.protobuf.InvalidProtocolBufferException;
import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertBatch;
import io.commguard.gateway.topic.TopicFilter;
import io.commguard.gateway.wire.Acks;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A stand-in for the city platform, for the demo only: a tiny MQTT server on loopback that takes
 * the gateway's {@code AlertBatch}es, hands each alert to a printer and answers with an
 * {@code Ack} on the ack topic, as the real platform does in platform-acknowledgement mode.
 */
public final class DemoCityEndpoint {
  private final Vertx vertx;
  private final Consumer<Alert> printer;
  private final Map<MqttEndpoint, List<TopicFilter>> subscribers = new ConcurrentHashMap<>();
  private MqttServer server;

  public DemoCityEndpoint(Vertx vertx, Consumer<Alert> printer) {
    this.vertx = vertx;
    this.printer = printer;
  }

  /** Listens on a free loopback port; the future gives the port. */
  public Future<Integer> start() {
    server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(0)
        .setMaxMessageSize(16 * 1024 * 1024));
    server.endpointHandler(this::onConnect);
    return server.listen().map(MqttServer::actualPort);
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void onConnect(MqttEndpoint endpoint) {
    endpoint.subscribeHandler(subscribe -> {
      subscribers.put(endpoint, subscribe.topicSubscriptions().stream().map(s -> new TopicFilter(s.topicName())).toList());
      endpoint.subscribeAcknowledge(subscribe.messageId(),
          subscribe.topicSubscriptions().stream().map(s -> MqttQoS.AT_LEAST_ONCE).toList());
    });
    endpoint.publishHandler(message -> onBatch(endpoint, message));
    endpoint.closeHandler(v -> subscribers.remove(endpoint));
    endpoint.accept(false);
  }

  private void onBatch(MqttEndpoint endpoint, MqttPublishMessage message) {
    if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
      endpoint.publishAcknowledge(message.messageId());
    }
    AlertBatch batch;
    try {
      batch = AlertBatch.parseFrom(message.payload().getBytes());
    } catch (InvalidProtocolBufferException e) {
      System.err.println("city: undecodable batch on " + message.topicName() + ": " + e.getMessage());
      return;
    }
    batch.getAlertsList().forEach(printer);
    byte[] ack = Acks.forBatch(batch);
    String ackTopic = message.topicName().replaceFirst("/alerts$", "/acks");
    subscribers.forEach((subscriber, filters) -> {
      if (filters.stream().anyMatch(f -> f.matches(ackTopic))) {
        subscriber.publish(ackTopic, Buffer.buffer(ack), MqttQoS.AT_LEAST_ONCE, false, false);
      }
    });
  }
}
