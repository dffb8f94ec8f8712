/**
 * MQTT sources: the embedded device endpoint (Vert.x MQTT server; runs on its event loop) and the
 * site-broker subscriber (Paho; callbacks on Paho's thread). Both decode through
 * {@link io.commguard.gateway.source.mqtt.MqttIngest}, which never blocks.
 */
package io.commguard.gateway.source.mqtt;
