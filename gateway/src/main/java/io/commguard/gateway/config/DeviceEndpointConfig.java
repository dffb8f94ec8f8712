package io.commguard.gateway.config;

/**
 * The embedded MQTT server devices connect to. Off unless configured; binds to loopback unless a
 * host is given.
 *
 * @param maxPayloadBytes larger publishes are rejected and counted
 */
public record DeviceEndpointConfig(Boolean enabled, String host, Integer port, Integer maxPayloadBytes, TlsConfig tls) {
  public static final DeviceEndpointConfig DISABLED = new DeviceEndpointConfig(false, null, null, null, null);

  public DeviceEndpointConfig {
    enabled = enabled != null && enabled;
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 1883 : port;
    maxPayloadBytes = maxPayloadBytes == null ? 65536 : maxPayloadBytes;
  }
}
