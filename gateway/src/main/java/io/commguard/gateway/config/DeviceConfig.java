package io.commguard.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.model.Site;

/**
 * One device instance.
 *
 * @param id unique device id; also its MQTT username on the embedded endpoint
 * @param profile id of the device profile (device model) that decodes it
 * @param passwordHash salted hash of the device's MQTT password ({@code gateway hash-password});
 *     required for devices that connect to the embedded endpoint
 * @param topic topic filter the device publishes under; defaults to {@code devices/{id}/#}
 * @param modbus for a polled Modbus device: its link and unit id; null for MQTT devices
 * @param rules overrides of the profile's rules for this device (schema in docs/rules.md); validated
 *     by {@code rule.spec.GatewayRulesParser}; null when absent
 */
public record DeviceConfig(
    String id, String profile, String passwordHash, String topic, Site site, String location,
    DeviceModbusConfig modbus, JsonNode rules) {

  public DeviceConfig {
    site = site == null ? Site.UNKNOWN : site;
    location = location == null ? "" : location;
  }

  /** A device without Modbus settings (an MQTT device). */
  public DeviceConfig(String id, String profile, String passwordHash, String topic, Site site, String location) {
    this(id, profile, passwordHash, topic, site, location, null, null);
  }

  /** Topic filter the device may publish under (its ACL on the embedded endpoint). */
  public String topicFilter() {
    return topic == null || topic.isBlank() ? "devices/" + id + "/#" : topic;
  }
}
