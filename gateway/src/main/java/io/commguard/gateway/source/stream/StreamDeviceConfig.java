package io.commguard.gateway.source.stream;

import io.commguard.gateway.validation.ProblemCollector;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * How the gateway reaches one camera or controller's event stream: the device key {@code stream}.
 * The password is a secret of the device: it is read at every connection from an environment
 * variable or a file (so a rotated password applies at the next connection), never written in the
 * config and never logged.
 *
 * @param url {@code http://host[:port]} or {@code https://...}; with no path, the kind's stream
 *     path is used
 * @param kind {@code HIKVISION} (ISAPI alertStream) or {@code DAHUA} (eventManager attach)
 * @param user the device account the gateway logs in with
 * @param passwordEnv name of the environment variable holding its password
 * @param passwordFile path of a file holding its password (one line; owner-readable only)
 * @param basicAuth when the device offers only HTTP Basic: {@code TLS_ONLY} (default: answered only
 *     over https) or {@code ALLOWED} (also over plain http, where anyone on the LAN can read it)
 * @param caFile PEM certificate(s) to trust for an https device (its own self-signed certificate);
 *     default the JVM's trust store
 */
public record StreamDeviceConfig(String url, Kind kind, String user, String passwordEnv, String passwordFile,
    BasicAuth basicAuth, String caFile) {

  /** The vendor's stream. */
  public enum Kind {
    HIKVISION("/ISAPI/Event/notification/alertStream"),
    DAHUA("/cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=%d");

    private final String path;

    Kind(String path) {
      this.path = path;
    }
  }

  /** Whether HTTP Basic may be answered when a device offers nothing else. */
  public enum BasicAuth { TLS_ONLY, ALLOWED }

  public StreamDeviceConfig {
    basicAuth = basicAuth == null ? BasicAuth.TLS_ONLY : basicAuth;
  }

  /** True for an https URL. */
  boolean tls() {
    return url.toLowerCase(Locale.ROOT).startsWith("https:");
  }

  /** Host and port, for logs and status (no credentials, no path). */
  String peer() {
    URI u = URI.create(url);
    return u.getHost() + ":" + port();
  }

  String host() {
    return URI.create(url).getHost();
  }

  int port() {
    int port = URI.create(url).getPort();
    return port > 0 ? port : tls() ? 443 : 80;
  }

  /** The request target (path and query) as sent and as digested. */
  String target(int heartbeatSeconds) {
    URI u = URI.create(url);
    String path = u.getRawPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return String.format(Locale.ROOT, kind.path, heartbeatSeconds);
    }
    return u.getRawQuery() == null ? path : path + "?" + u.getRawQuery();
  }

  /** Checks this device's stream entry; {@code path} is e.g. {@code devices[3].stream}. */
  void validate(String path, ProblemCollector problems) {
    if (url == null || url.isBlank()) {
      problems.add(path + ".url", "required: the device's address, e.g. http://192.168.1.64");
    } else {
      try {
        // Dahua's own path carries brackets, which URI refuses unencoded; the check reads them encoded.
        URI u = new URI(url.replace("[", "%5B").replace("]", "%5D"));
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
          problems.add(path + ".url", "must start with http:// or https://");
        } else if (u.getHost() == null) {
          problems.add(path + ".url", "has no host name or address");
        } else if (u.getRawUserInfo() != null) {
          problems.add(path + ".url", "must not carry credentials: set user and passwordEnv or passwordFile");
        }
      } catch (URISyntaxException e) {
        problems.add(path + ".url", "is not a URL: " + e.getReason());
      }
    }
    if (kind == null) {
      problems.add(path + ".kind", "required: HIKVISION or DAHUA");
    }
    if (user == null || user.isBlank()) {
      problems.add(path + ".user", "required: the device account the gateway logs in with");
    }
    boolean env = passwordEnv != null && !passwordEnv.isBlank();
    boolean file = passwordFile != null && !passwordFile.isBlank();
    if (env == file) {
      problems.add(path, "set exactly one of passwordEnv (an environment variable) or passwordFile (a file "
          + "readable by the gateway only) for the device's password");
    }
    if (caFile != null && (url == null || !tls())) {
      problems.add(path + ".caFile", "applies to an https url only");
    }
  }
}
