package io.commguard.gateway.config;

/**
 * The loopback admin API (health, metrics, maintenance windows). Off unless configured. The bearer
 * token is read from {@code tokenFile}, or from the environment variable {@code
 * COMMGUARD_ADMIN_TOKEN} when no file is given; there is no default token and the API refuses to
 * start without one.
 *
 * @param host must be a loopback address
 * @param port TCP port; 0 picks a free one (tests)
 */
public record AdminConfig(Boolean enabled, String host, Integer port, String tokenFile) {
  public static final AdminConfig DISABLED = new AdminConfig(false, null, null, null);

  public AdminConfig {
    enabled = enabled != null && enabled;
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 8641 : port;
  }
}
