package io.commguard.gateway.rule.spec;

import java.util.List;
import java.util.Map;

/**
 * The rule settings of the gateway config: site overrides (applied in order, after the profile's
 * defaults and before the device's own override), per-device overrides and watched households.
 */
public record GatewayRules(List<SiteOverride> sites, Map<String, RulesSection> devices, List<HouseholdSpec> households) {
  public static final GatewayRules NONE = new GatewayRules(List.of(), Map.of(), List.of());

  /** Rules for every device under {@code scope}. */
  public record SiteOverride(SitePath scope, RulesSection rules) {}

  public GatewayRules {
    sites = List.copyOf(sites);
    devices = Map.copyOf(devices);
    households = List.copyOf(households);
  }
}
