package io.commguard.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The whole gateway configuration (one YAML file). See docs/configuration.md for every key.
 *
 * @param gatewayId unique id of this gateway at the city platform, e.g. {@code gw-310115-0042}
 * @param dataDir where the outbox, rule state and the per-gateway hash key live
 * @param profilesDir a directory of device profiles that add to or replace the built-in ones; null
 *     when not configured
 * @param modbusLinks Modbus TCP connections and RS-485 buses that devices are polled over
 * @param rules site-level rule overrides and watched households (schema in docs/rules.md);
 *     validated by {@code rule.spec.GatewayRulesParser}; null when absent
 * @param admin the loopback admin API; disabled unless configured
 * @param log the log format; text unless configured
 */
public record GatewayConfig(
    String gatewayId,
    String dataDir,
    String profilesDir,
    DeviceEndpointConfig deviceEndpoint,
    ExternalBrokerConfig externalBroker,
    List<DeviceConfig> devices,
    UplinkConfig uplink,
    OutboxConfig outbox,
    List<ModbusLinkConfig> modbusLinks,
    JsonNode rules,
    AdminConfig admin,
    LogConfig log) {

  public GatewayConfig {
    dataDir = dataDir == null ? "data" : dataDir;
    deviceEndpoint = deviceEndpoint == null ? DeviceEndpointConfig.DISABLED : deviceEndpoint;
    devices = devices == null ? List.of() : List.copyOf(devices);
    outbox = outbox == null ? OutboxConfig.DEFAULTS : outbox;
    modbusLinks = modbusLinks == null ? List.of() : List.copyOf(modbusLinks);
    admin = admin == null ? AdminConfig.DISABLED : admin;
    log = log == null ? LogConfig.DEFAULTS : log;
  }

  /** A config with the default log format. */
  public GatewayConfig(String gatewayId, String dataDir, String profilesDir, DeviceEndpointConfig deviceEndpoint,
      ExternalBrokerConfig externalBroker, List<DeviceConfig> devices, UplinkConfig uplink, OutboxConfig outbox,
      List<ModbusLinkConfig> modbusLinks, JsonNode rules, AdminConfig admin) {
    this(gatewayId, dataDir, profilesDir, deviceEndpoint, externalBroker, devices, uplink, outbox, modbusLinks, rules,
        admin, null);
  }
}
