package io.commguard.gateway.source.mqtt;

/**
 * Limits on device sockets, applied before a peer has proved anything.
 *
 * @param maxConnections open sockets in total; further ones are closed at once
 * @param maxConnectionsPerAddress open sockets from one IP address
 * @param maxConnectBytes largest CONNECT packet (fixed header included); a larger one is refused
 *     from its first bytes, before it is buffered
 * @param connectTimeoutSeconds a socket that has not sent a complete CONNECT by then is closed,
 *     however slowly it keeps sending
 */
public record ConnectionLimitsConfig(Integer maxConnections, Integer maxConnectionsPerAddress, Integer maxConnectBytes,
    Integer connectTimeoutSeconds) {
  public ConnectionLimitsConfig {
    maxConnections = maxConnections == null ? 5000 : maxConnections;
    maxConnectionsPerAddress = maxConnectionsPerAddress == null ? 256 : maxConnectionsPerAddress;
    maxConnectBytes = maxConnectBytes == null ? 8192 : maxConnectBytes;
    connectTimeoutSeconds = connectTimeoutSeconds == null ? 10 : connectTimeoutSeconds;
  }
}
