package io.commguard.gateway.config;

/**
 * The admin API and web console. Off unless configured. On a loopback host it may answer plain
 * HTTP; on any other host it answers HTTPS only ({@link AdminTlsConfig}). The optional admin bearer token is read
 * from {@code tokenFile}, or from the environment variable {@code COMMGUARD_ADMIN_TOKEN} when no
 * file is given; users log in with the accounts made by {@code gateway users add}.
 *
 * @param host must be a loopback address
 * @param port TCP port; 0 picks a free one (tests)
 * @param maxMaintenanceHours longest maintenance window an operator may open or extend to, in hours
 *     from the request; a forgotten window must end by itself
 * @param sessionIdleMinutes a console session ends after this long without a request
 * @param sessionMaxHours a console session ends this long after its login, however active
 * @param tls HTTPS: on off loopback, optional on it
 */
public record AdminConfig(Boolean enabled, String host, Integer port, String tokenFile, Integer maxMaintenanceHours,
    Integer sessionIdleMinutes, Integer sessionMaxHours, AdminTlsConfig tls) {
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
    tls = tls == null ? AdminTlsConfig.AUTO : tls;
  }

  /** The settings of earlier releases; the rest take their defaults. */
  public AdminConfig(Boolean enabled, String host, Integer port, String tokenFile, Integer maxMaintenanceHours) {
    this(enabled, host, port, tokenFile, maxMaintenanceHours, null, null, null);
  }

  /** True when {@code host} is {@code localhost} or a loopback IP literal (no name is looked up). */
  public boolean loopback() {
    if (host.equals("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) {
      return false;
    }
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** Whether the API is served over HTTPS: always off loopback, on loopback when {@code tls.enabled}. */
  public boolean https() {
    return !loopback() || Boolean.TRUE.equals(tls.enabled());
  }
}
