/**
 * The northbound seam: how committed alerts leave the gateway, whatever the transport.
 * {@link io.commguard.gateway.northbound.Delivery} holds the delivery logic every northbound shares
 * (batches, in-flight window, acknowledgement matching, deadlines per level, resends, reconnect
 * backoff, link health and its fault alert) over a small {@link
 * io.commguard.gateway.northbound.Transport}; a transport lives in its own sub-package (MQTT:
 * {@code northbound.mqtt}) and is registered by a {@link io.commguard.gateway.northbound.NorthboundKind}
 * in the boot package's {@code Northbounds}. Each delivery runs on its own scheduler thread named
 * after the northbound ({@code uplink}), never on a Vert.x event loop, and reaches the outbox only
 * through {@link io.commguard.gateway.outbox.Outbox}. This package imports no transport library.
 */
package io.commguard.gateway.northbound;
