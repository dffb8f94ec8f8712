package io.commguard.gateway.config;

/**
 * HTTPS for the admin API and web console. It is on whenever {@code admin.host} is not a loopback
 * address (the API never answers the LAN in plain text), and on loopback when {@code enabled} is
 * true.
 *
 * @param enabled true: HTTPS on loopback too; false: plain HTTP, allowed on loopback only; null:
 *     HTTPS off loopback, HTTP on it
 * @param certFile PEM certificate (chain) to serve; with {@code keyFile}, or neither: then a
 *     self-signed certificate is made at first start in the data directory
 * @param keyFile PEM private key (PKCS#8) of {@code certFile}
 */
public record AdminTlsConfig(Boolean enabled, String certFile, String keyFile) {
  public static final AdminTlsConfig AUTO = new AdminTlsConfig(null, null, null);
}
