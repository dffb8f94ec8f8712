/**
 * The MQTT northbound (the config's {@code uplink} section): {@link
 * io.commguard.gateway.northbound.mqtt.MqttUplink} is the Paho MQTT 5 glue (connect, TLS, publish at
 * QoS 1, the ack subscription) under the shared {@link io.commguard.gateway.northbound.Delivery};
 * {@link io.commguard.gateway.northbound.mqtt.MqttNorthbound} registers it. Called on the delivery
 * thread ({@code uplink}); Paho's threads complete its futures.
 */
package io.commguard.gateway.northbound.mqtt;
