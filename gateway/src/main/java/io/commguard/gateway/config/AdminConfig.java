package io.commguard.gateway.config;

/**
 * The loopback admin API (health, metrics, maintenance windows). Off unless configured. The bearer
 * token is read from {@code tokenFile}, or from the environment variable {@code
 * COMMGUARD_ADMIN_TOKEN} when no file is given; there is no default token and the API refuses to
 * start without one.
 *
 * @param host must be a loopback address
 * @param port TCP port; 0 picks a free one (tests)
 * @param maxMaintenanceHours longest maintenance window an operator may open or extend to, in hours
 *     from the request; a forgotten window must end by itself
 */
public record AdminConfig(Boolean enabled, String host, Integer port, String tokenFile, Integer maxMaintenanceHours) {
  public static final AdminConfig DISABLED = new AdminConfig(false, null, null, null, null);
  public static final int DEFAULT_MAX_MAINTENANCE_HOURS = 24;
  /** Upper bound of {@code maxMaintenanceHours}: a window longer than a month is not maintenance. */
  public static final int MAX_MAINTENANCE_HOURS_LIMIT = 744;

  public AdminConfig {
    enabled = enabled != null && enabled;
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 8641 : port;
    maxMaintenanceHours = maxMaintenanceHours == null ? DEFAULT_MAX_MAINTENANCE_HOURS : maxMaintenanceHours;
  }
}
