package io.commguard.gateway.source.httppush;

import io.commguard.gateway.config.Hosts;
import io.commguard.gateway.config.TlsConfig;

/**
 * The HTTP listener that cameras and access controllers push their events to (Hikvision "HTTP
 * listening" / alarm host, Dahua event push). Off unless configured; binds to loopback unless a
 * host is given.
 *
 * @param tls serve HTTPS ({@code certFile}, {@code keyFile})
 * @param allowPlaintext the explicit opt-in for plain HTTP on a non-loopback address (the gateway
 *     warns at every start); without it such a config is refused
 * @param maxBodyBytes a larger request body (event and pictures together) is refused with 413
 * @param maxConnections open sockets in total; further ones are closed at once
 * @param maxRequests requests being read or committed at once over all devices; beyond, 503
 * @param maxRequestsPerDevice the same for one device; beyond, 429
 * @param requestTimeoutSeconds a request whose body has not fully arrived by then is answered 408
 *     and its connection closed; an idle keep-alive connection is closed after the same time
 * @param realm the authentication realm devices are challenged with
 */
public record HttpPushConfig(Boolean enabled, String host, Integer port, TlsConfig tls, Boolean allowPlaintext,
    Integer maxBodyBytes, Integer maxConnections, Integer maxRequests, Integer maxRequestsPerDevice,
    Integer requestTimeoutSeconds, String realm) {
  public static final HttpPushConfig DISABLED = new HttpPushConfig(false, null, null, null, null, null, null, null, null,
      null, null);

  public HttpPushConfig {
    enabled = enabled != null && enabled;
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 8088 : port;
    allowPlaintext = allowPlaintext != null && allowPlaintext;
    maxBodyBytes = maxBodyBytes == null ? 8 << 20 : maxBodyBytes;
    maxConnections = maxConnections == null ? 1024 : maxConnections;
    maxRequests = maxRequests == null ? 256 : maxRequests;
    maxRequestsPerDevice = maxRequestsPerDevice == null ? 4 : maxRequestsPerDevice;
    requestTimeoutSeconds = requestTimeoutSeconds == null ? 30 : requestTimeoutSeconds;
    realm = realm == null ? "commguard" : realm;
  }

  /** True when devices would push to this listener unencrypted over a network, not just loopback. */
  public boolean plaintextOffLoopback() {
    return enabled && tls == null && !Hosts.isLoopbackLiteral(host);
  }
}
