package io.commguard.gateway.config;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.model.DeviceState;
import io.commguard.gateway.model.Site;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One device instance, as declared in the config's {@code devices:} list and as kept by the device
 * registry.
 *
 * @param id unique device id; also its MQTT username on the embedded endpoint
 * @param profile id of the device profile (device model) that decodes it
 * @param passwordHash salted hash of the device's password ({@code gateway hash-password}); required
 *     for devices that log in to the gateway
 * @param rules overrides of the profile's rules for this device (schema in docs/rules.md); validated
 *     by {@code rule.spec.GatewayRulesParser}; null when absent
 * @param state enabled (default), commissioning, or disabled (refused and not polled)
 * @param bindings every other key of the entry: how the device reaches its source (e.g. {@code
 *     topic} for MQTT, {@code modbus: {link, unitId}}); each source owns and checks its keys
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceConfig(
    String id, String profile, String passwordHash, Site site, String location, JsonNode rules, DeviceState state,
    @JsonAnySetter Map<String, JsonNode> bindings) {

  public DeviceConfig {
    site = site == null ? Site.UNKNOWN : site;
    location = location == null ? "" : location;
    state = state == null ? DeviceState.ENABLED : state;
    bindings = bindings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(bindings));
  }

  /** A device with no source binding keys and no rule overrides. */
  public DeviceConfig(String id, String profile, String passwordHash, Site site, String location) {
    this(id, profile, passwordHash, site, location, null, null, null);
  }

  @JsonAnyGetter
  @Override
  public Map<String, JsonNode> bindings() {
    return bindings;
  }

  /** The binding key {@code key}, or null. */
  public JsonNode binding(String key) {
    return bindings.get(key);
  }

  /** This device with the binding {@code key} set to {@code value}. */
  public DeviceConfig withBinding(String key, Object value) {
    Map<String, JsonNode> b = new LinkedHashMap<>(bindings);
    b.put(key, ConfigSections.tree(value));
    return new DeviceConfig(id, profile, passwordHash, site, location, rules, state, b);
  }

  /** This device in another state. */
  public DeviceConfig withState(DeviceState newState) {
    return new DeviceConfig(id, profile, passwordHash, site, location, rules, newState, bindings);
  }

  /** This device with another password hash. */
  public DeviceConfig withPasswordHash(String hash) {
    return new DeviceConfig(id, profile, hash, site, location, rules, state, bindings);
  }
}
