/**
 * The northbound link: {@link io.commguard.gateway.uplink.MqttUplink} publishes the outbox to the
 * city broker as protobuf {@code AlertBatch}es over MQTT 5 and marks rows delivered on
 * acknowledgement, through the {@link io.commguard.gateway.outbox.Outbox} interface; the wire messages
 * come from {@link io.commguard.gateway.wire.AlertEncoder}. Runs
 * on its own scheduler thread ({@code uplink}) and Paho's threads, never on a Vert.x event loop.
 */
package io.commguard.gateway.uplink;
