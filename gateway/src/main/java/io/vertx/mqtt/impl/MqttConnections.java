package io.vertx.mqtt.impl;

/**
 * Lets the gateway's device endpoint feed decoded packets to vertx-mqtt's per-connection protocol
 * handling ({@link MqttServerConnection}) behind a socket pipeline the endpoint builds itself:
 * {@code MqttServer} offers no hook before the CONNECT, where connection limits and the CONNECT
 * size bound must act. It sits in vertx-mqtt's package because {@code handleMessage} is
 * package-private; should that method change in a vertx-mqtt upgrade, the build fails here rather
 * than the gateway at run time.
 */
public final class MqttConnections {
  private MqttConnections() {}

  public static void handle(MqttServerConnection connection, Object message) {
    connection.handleMessage(message);
  }
}
