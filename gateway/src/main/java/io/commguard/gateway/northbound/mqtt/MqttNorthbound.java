package io.commguard.gateway.northbound.mqtt;

import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.config.UplinkConfig;
import io.commguard.gateway.config.UplinkConfig.AckMode;
import io.commguard.gateway.northbound.DeliveryOptions;
import io.commguard.gateway.northbound.Northbound;
import io.commguard.gateway.northbound.NorthboundKind;
import java.nio.file.Path;
import java.util.List;

/**
 * The MQTT northbound: the config's {@code uplink} section, delivered under the name {@value #NAME}
 * (its thread, its {@code uplink_*} counters, its cursor in the outbox) over {@link MqttUplink}, signed
 * when the section names an HMAC key file.
 */
public final class MqttNorthbound implements NorthboundKind {
  public static final String NAME = "uplink";
  /** In the data dir: the ceiling of the signing sequence ({@link SealSequence}). */
  public static final String SEQUENCE_FILE = NAME + "-hmac.seq";

  @Override
  public List<Northbound> configured(GatewayConfig config) {
    if (config.uplink() == null) {
      return List.of();
    }
    UplinkConfig uplink = config.uplink();
    UplinkSigner signer = uplink.hmacKeyFile() == null ? null
        : UplinkSigner.open(Path.of(uplink.hmacKeyFile()), Path.of(config.dataDir()).resolve(SEQUENCE_FILE));
    return List.of(new Northbound(NAME, options(uplink), new MqttUplink(uplink, config.gatewayId(), signer)));
  }

  /** One MQTT northbound: {@code config} as a transport under {@code name}. */
  public static Northbound uplink(String name, UplinkConfig config, String gatewayId) {
    return new Northbound(name, options(config), new MqttUplink(config, gatewayId));
  }

  /** The delivery half of an {@code uplink} section. */
  public static DeliveryOptions options(UplinkConfig config) {
    return new DeliveryOptions(config.batchMaxAlerts(), config.batchMaxDelayMs(), config.inFlightBatches(),
        config.ackTimeoutMsByLevel(), MqttUplink.connectTimeoutSeconds(config) * 1000,
        config.ackMode() == AckMode.PLATFORM);
  }
}
