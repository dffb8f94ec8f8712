package io.commguard.gateway.source.mqtt;

import io.commguard.gateway.config.Hosts;
import io.commguard.gateway.config.TlsConfig;

/**
 * The embedded MQTT server devices connect to. Off unless configured; binds to loopback unless a
 * host is given.
 *
 * @param maxPayloadBytes larger publishes are rejected and counted
 * @param tls serve MQTT over TLS ({@code certFile}, {@code keyFile}); with {@code caFile}, every
 *     device must also present a client certificate signed by that CA (mutual TLS)
 * @param limits connection limits and the bound on the first packet
 * @param auth how logins are verified and throttled
 * @param allowPlaintext the explicit opt-in for plaintext MQTT on a non-loopback address (the
 *     gateway warns at every start); without it such a config is refused
 */
public record DeviceEndpointConfig(Boolean enabled, String host, Integer port, Integer maxPayloadBytes, TlsConfig tls,
    ConnectionLimitsConfig limits, DeviceAuthConfig auth, Boolean allowPlaintext) {
  public static final DeviceEndpointConfig DISABLED = new DeviceEndpointConfig(false, null, null, null, null);

  public DeviceEndpointConfig {
    enabled = enabled != null && enabled;
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 1883 : port;
    maxPayloadBytes = maxPayloadBytes == null ? 65536 : maxPayloadBytes;
    limits = limits == null ? new ConnectionLimitsConfig(null, null, null, null) : limits;
    auth = auth == null ? new DeviceAuthConfig(null, null, null, null, null, null) : auth;
    allowPlaintext = allowPlaintext != null && allowPlaintext;
  }

  /** True when devices would talk to this endpoint unencrypted over a network, not just loopback. */
  public boolean plaintextOffLoopback() {
    return enabled && tls == null && !Hosts.isLoopbackLiteral(host);
  }

  /** An endpoint with the default limits and login policy. */
  public DeviceEndpointConfig(Boolean enabled, String host, Integer port, Integer maxPayloadBytes, TlsConfig tls) {
    this(enabled, host, port, maxPayloadBytes, tls, null, null, null);
  }
}
