/**
 * The MQTT source: the embedded device endpoint (Vert.x MQTT server; runs on its event loops) and
 * the site-broker subscriber (Paho; callbacks on Paho's thread). Both look devices up in the live
 * {@link io.commguard.gateway.source.mqtt.MqttDevices} and hand messages to the shared
 * {@link io.commguard.gateway.source.Ingest}, which never blocks. Owns the config sections
 * {@code deviceEndpoint} and {@code externalBroker} and the device key {@code topic}.
 */
package io.commguard.gateway.source.mqtt;
