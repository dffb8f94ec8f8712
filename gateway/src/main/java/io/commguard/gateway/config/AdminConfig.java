package io.commguard.gateway.config;

/**
 * The admin API and web console. Off unless configured. The optional admin bearer token is read
 * from {@code tokenFile}, or from the environment variable {@code COMMGUARD_ADMIN_TOKEN} when no
 * file is given; users log in with the accounts made by {@code gateway users add}.
 *
 * @param host must be a loopback address
 * @param port TCP port; 0 picks a free one (tests)
 * @param maxMaintenanceHours longest maintenance window an operator may open or extend to, in hours
 *     from the request; a forgotten window must end by itself
 * @param sessionIdleMinutes a console session ends after this long without a request
 * @param sessionMaxHours a console session ends this long after its login, however active
 */
public record AdminConfig(Boolean enabled, String host, Integer port, String tokenFile, Integer maxMaintenanceHours,
    Integer sessionIdleMinutes, Integer sessionMaxHours) {
  public static final AdminConfig DISABLED = new AdminConfig(false, null, null, null, null);
  public static final int DEFAULT_SESSION_IDLE_MINUTES = 480;
  public static final int DEFAULT_SESSION_MAX_HOURS = 24;
  public static final int DEFAULT_MAX_MAINTENANCE_HOURS = 24;
  /** Upper bound of {@code maxMaintenanceHours}: a window longer than a month is not maintenance. */
  public static final int MAX_MAINTENANCE_HOURS_LIMIT = 744;

  public AdminConfig {
    enabled = enabled != null && enabled;
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 8641 : port;
    maxMaintenanceHours = maxMaintenanceHours == null ? DEFAULT_MAX_MAINTENANCE_HOURS : maxMaintenanceHours;
    sessionIdleMinutes = sessionIdleMinutes == null ? DEFAULT_SESSION_IDLE_MINUTES : sessionIdleMinutes;
    sessionMaxHours = sessionMaxHours == null ? DEFAULT_SESSION_MAX_HOURS : sessionMaxHours;
  }

  /** The settings of earlier releases; the rest take their defaults. */
  public AdminConfig(Boolean enabled, String host, Integer port, String tokenFile, Integer maxMaintenanceHours) {
    this(enabled, host, port, tokenFile, maxMaintenanceHours, null, null);
  }
}
