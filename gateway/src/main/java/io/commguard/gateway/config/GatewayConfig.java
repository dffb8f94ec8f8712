package io.commguard.gateway.config;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole gateway configuration (one YAML file). See docs/configuration.md for every key.
 *
 * @param gatewayId unique id of this gateway at the city platform, e.g. {@code gw-310115-0042}
 * @param dataDir where the outbox, rule state, device registry and the per-gateway hash key live
 * @param profilesDir a directory of device profiles that add to or replace the built-in ones; null
 *     when not configured
 * @param rules site-level rule overrides and watched households (schema in docs/rules.md);
 *     validated by {@code rule.spec.GatewayRulesParser}; null when absent
 * @param admin the loopback admin API; disabled unless configured
 * @param log the log format; text unless configured
 * @param evidence what becomes of pictures devices send with events; dropped unless configured
 * @param sourceSections every other top-level key, by key: the sections the sources own (e.g.
 *     {@code deviceEndpoint}, {@code modbusLinks}); a key no source owns is reported as unknown
 */
public record GatewayConfig(
    String gatewayId,
    String dataDir,
    String profilesDir,
    List<DeviceConfig> devices,
    UplinkConfig uplink,
    OutboxConfig outbox,
    JsonNode rules,
    AdminConfig admin,
    LogConfig log,
    EvidenceConfig evidence,
    @JsonAnySetter Map<String, JsonNode> sourceSections) {

  public GatewayConfig {
    dataDir = dataDir == null ? "data" : dataDir;
    devices = devices == null ? List.of() : List.copyOf(devices);
    outbox = outbox == null ? OutboxConfig.DEFAULTS : outbox;
    admin = admin == null ? AdminConfig.DISABLED : admin;
    log = log == null ? LogConfig.DEFAULTS : log;
    evidence = evidence == null ? EvidenceConfig.DEFAULTS : evidence;
    sourceSections = sourceSections == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sourceSections));
  }

  /** A config with the default log format and no source sections. */
  public GatewayConfig(String gatewayId, String dataDir, String profilesDir, List<DeviceConfig> devices,
      UplinkConfig uplink, OutboxConfig outbox, JsonNode rules, AdminConfig admin) {
    this(gatewayId, dataDir, profilesDir, devices, uplink, outbox, rules, admin, null, null, null);
  }

  /** The top-level section {@code key} a source owns; null when the file has none. */
  public JsonNode section(String key) {
    return sourceSections.get(key);
  }

  /** This config with {@code key} set to {@code value} (tests and the demo build configs this way). */
  public GatewayConfig withSection(String key, Object value) {
    Map<String, JsonNode> sections = new LinkedHashMap<>(sourceSections);
    sections.put(key, ConfigSections.tree(value));
    return new GatewayConfig(gatewayId, dataDir, profilesDir, devices, uplink, outbox, rules, admin, log, evidence, sections);
  }
}
