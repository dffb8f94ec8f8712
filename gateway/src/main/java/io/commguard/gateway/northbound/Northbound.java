package io.commguard.gateway.northbound;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.outbox.Outbox;

/**
 * One configured northbound, not yet started.
 *
 * @param name unique among the gateway's northbounds: its cursor in the outbox, its thread, the
 *     prefix of its counters; stored in {@code outbox.db}, so it must not change between releases
 */
public record Northbound(String name, DeliveryOptions options, Transport transport) {
  /** Its delivery over {@code outbox}; call {@link Delivery#start()} once the sources run. */
  public Delivery delivery(String gatewayId, Outbox outbox, Counters counters) {
    return new Delivery(name, gatewayId, options, transport, outbox, counters);
  }
}
