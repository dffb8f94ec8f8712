package io.commguard.gateway.config;

import java.util.List;

/**
 * The whole gateway configuration (one YAML file). See docs/configuration.md for every key.
 *
 * @param gatewayId unique id of this gateway at the city platform, e.g. {@code gw-310115-0042}
 * @param dataDir where the outbox, rule state and the per-gateway hash key live
 * @param profilesDir the device-profiles directory
 * @param modbusLinks Modbus TCP connections and RS-485 buses that devices are polled over
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
    List<ModbusLinkConfig> modbusLinks) {

  public GatewayConfig {
    dataDir = dataDir == null ? "data" : dataDir;
    profilesDir = profilesDir == null ? "device-profiles" : profilesDir;
    deviceEndpoint = deviceEndpoint == null ? DeviceEndpointConfig.DISABLED : deviceEndpoint;
    devices = devices == null ? List.of() : List.copyOf(devices);
    outbox = outbox == null ? OutboxConfig.DEFAULTS : outbox;
    modbusLinks = modbusLinks == null ? List.of() : List.copyOf(modbusLinks);
  }

  /** A configuration without Modbus links. */
  public GatewayConfig(String gatewayId, String dataDir, String profilesDir, DeviceEndpointConfig deviceEndpoint,
      ExternalBrokerConfig externalBroker, List<DeviceConfig> devices, UplinkConfig uplink, OutboxConfig outbox) {
    this(gatewayId, dataDir, profilesDir, deviceEndpoint, externalBroker, devices, uplink, outbox, null);
  }
}
