package io.commguard.gateway.source.mqtt;

import io.commguard.gateway.config.TlsConfig;
import java.util.List;

/**
 * A site broker (Mosquitto, EMQX) the gateway subscribes to instead of, or besides, the embedded
 * endpoint.
 *
 * @param topics topic templates; {@code {deviceId}} is replaced by each configured device id, e.g.
 *     {@code site/+/{deviceId}/event}
 * @param passwordEnv name of the environment variable holding the password (never in the file)
 */
public record ExternalBrokerConfig(String url, String clientId, String username, String passwordEnv, List<String> topics, TlsConfig tls) {
  public ExternalBrokerConfig {
    topics = topics == null ? List.of("devices/{deviceId}/#") : List.copyOf(topics);
  }
}
