package io.commguard.gateway;

import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.northbound.Northbound;
import io.commguard.gateway.northbound.NorthboundKind;
import io.commguard.gateway.northbound.mqtt.MqttNorthbound;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The registry of northbound kinds the gateway runs with: one line per transport. A new northbound
 * (a folder under {@code northbound/} with its {@code Transport}) registers its kind here.
 */
public final class Northbounds {
  private static final List<NorthboundKind> KINDS = List.of(
      new MqttNorthbound());

  private Northbounds() {}

  /** Every northbound the config asks for, in registration order; names are unique. */
  public static List<Northbound> configured(GatewayConfig config) {
    List<Northbound> all = KINDS.stream().flatMap(k -> k.configured(config).stream()).toList();
    Set<String> names = new HashSet<>();
    for (Northbound n : all) {
      if (!names.add(n.name())) {
        throw new IllegalStateException("Two northbounds are named " + n.name());
      }
    }
    return all;
  }
}
