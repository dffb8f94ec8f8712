package io.commguard.gateway.admin;

import io.commguard.gateway.config.AdminConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.PrometheusMetrics;
import io.commguard.gateway.rule.MaintenanceControl;
import io.commguard.gateway.rule.MaintenanceScope;
import io.commguard.gateway.rule.spec.SitePath;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/**
 * The admin API on a loopback address, every request but the two probes authenticated with
 * {@code Authorization: Bearer <token>}.
 *
 * <pre>
 * GET    /healthz                        200 {"status":"alive"} — no token: the process answers
 * GET    /readyz                         200 {"status":"ready"|"degraded"}, 503 {"status":"not ready"} — no token
 * GET    /health                         the same status and code, with every check's state and detail
 * GET    /metrics                        200 Prometheus text format (counters, gauges, JVM and process figures)
 * GET    /metrics.json                   200 {"counter{device=..,reason=..}": n, ...}
 * GET    /maintenance                    200 [{"scope":"device:gas-1","since":..,"until":..,"inhibitedEvents":n}]
 * POST   /maintenance                    202; body {"device":"gas-1"} or {"site":"310115001/B3"},
 *                                        with {"until":"2026-11-22T10:00:00Z"} or {"duration":"PT2H"}
 * DELETE /maintenance?device=gas-1       202 (or ?site=310115001/B3)
 * </pre>
 *
 * Errors: 401 without a valid token, 400 with {"error": reason} for bad input (unknown keys, both or
 * neither of until and duration, an end in the past or more than {@code admin.maxMaintenanceHours}
 * ahead), 404, 405, 413 for a body over {@value #MAX_BODY_BYTES} bytes, 503 when too many
 * maintenance commands are waiting, 500 (logged) for anything unexpected — no request is left
 * unanswered. Maintenance commands are applied by the rules engine
 * on its next tick and reported as MAINTENANCE alerts; each request is logged (scope, until,
 * remote address) as an audit trail.
 */
public final class AdminServer {
  /** Environment variable holding the token when the config names no token file. */
  public static final String TOKEN_ENV = "COMMGUARD_ADMIN_TOKEN";
  public static final int MIN_TOKEN_LENGTH = 16;
  static final int MAX_BODY_BYTES = 4096;
  private static final Set<String> BODY_KEYS = Set.of("device", "site", "until", "duration");
  private static final Set<String> PROBES = Set.of("/healthz", "/readyz");
  private static final System.Logger LOG = System.getLogger(AdminServer.class.getName());

  private final Vertx vertx;
  private final AdminConfig config;
  private final byte[] expectedAuthorization;
  private final MaintenanceControl maintenance;
  private final Counters counters;
  private final PrometheusMetrics metrics;
  private final Readiness readiness;
  private final Clock clock;
  private HttpServer server;

  /**
   * @param token the bearer token ({@link #loadToken})
   * @param metrics what {@code GET /metrics} serves; its owner closes it
   * @param readiness the checks behind {@code /readyz} and {@code /health}
   * @throws IllegalArgumentException when the host is not a loopback address or the token is short
   */
  public AdminServer(Vertx vertx, AdminConfig config, String token, MaintenanceControl maintenance, Counters counters,
      PrometheusMetrics metrics, Readiness readiness, Clock clock) {
    if (!isLoopback(config.host())) {
      throw new IllegalArgumentException("admin.host must be a loopback address, was " + config.host());
    }
    if (token == null || token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException("admin token must have at least " + MIN_TOKEN_LENGTH + " characters");
    }
    this.vertx = vertx;
    this.config = config;
    this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.maintenance = maintenance;
    this.counters = counters;
    this.metrics = metrics;
    this.readiness = readiness;
    this.clock = clock;
  }

  /**
   * Reads the token from {@code config.tokenFile()} (trimmed), else from {@value #TOKEN_ENV}.
   * Blocking file read; call at boot.
   *
   * @throws IllegalStateException when there is no token: the API never starts with a default one
   */
  public static String loadToken(AdminConfig config, Map<String, String> env) {
    String token = null;
    if (config.tokenFile() != null) {
      try {
        token = Files.readString(Path.of(config.tokenFile()), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read admin token file " + config.tokenFile() + ": " + e.getMessage(), e);
      }
    } else {
      token = env.get(TOKEN_ENV);
    }
    if (token == null || token.isBlank()) {
      throw new IllegalStateException("Admin API enabled without a token: set admin.tokenFile or " + TOKEN_ENV);
    }
    return token.trim();
  }

  /** Starts listening; completes with the bound port. */
  public Future<Integer> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
        .requestHandler(this::handle)
        .listen()
        .map(s -> {
          server = s;
          LOG.log(Level.INFO, "Admin API listening host={0} port={1}", config.host(), Integer.toString(s.actualPort()));
          return s.actualPort();
        });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    try {
      route(req);
    } catch (RuntimeException e) {
      // Never leave a request hanging: a bug answers 500 and is logged, the server goes on.
      LOG.log(Level.ERROR, "Admin request failed path={0} error={1}", req.path(), e.toString());
      if (!req.response().ended()) {
        error(req, 500, "internal error; see the gateway log");
      }
    }
  }

  private void route(HttpServerRequest req) {
    if (PROBES.contains(req.path())) {
      probe(req);
      return;
    }
    String auth = req.getHeader("Authorization");
    if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), expectedAuthorization)) {
      counters.increment("admin_rejected", "", "unauthorized");
      req.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end();
      return;
    }
    String path = req.path();
    HttpMethod method = req.method();
    if (path.equals("/health") && method == HttpMethod.GET) {
      whenEvaluated(req, report -> {
        JsonObject checks = new JsonObject();
        report.checks().forEach((name, r) -> checks.put(name,
            new JsonObject().put("state", r.state().name()).put("detail", r.detail())));
        json(req, statusCode(report), new JsonObject().put("status", report.state().word()).put("checks", checks).encode());
      });
    } else if (path.equals("/metrics") && method == HttpMethod.GET) {
      vertx.executeBlocking(metrics::scrape, false)
          .onSuccess(text -> req.response().setStatusCode(200)
              .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text))
          .onFailure(e -> {
            LOG.log(Level.ERROR, "Metrics scrape failed error={0}", e.toString());
            error(req, 500, "internal error; see the gateway log");
          });
    } else if (path.equals("/metrics.json") && method == HttpMethod.GET) {
      JsonObject body = new JsonObject();
      counters.snapshot().forEach(body::put);
      json(req, 200, body.encode());
    } else if (path.equals("/maintenance") && method == HttpMethod.GET) {
      JsonArray windows = new JsonArray();
      maintenance.maintenanceWindows().forEach(w -> windows.add(new JsonObject().put("scope", w.scope())
          .put("since", w.since().toString()).put("until", w.until().toString())
          .put("inhibitedEvents", w.inhibitedEvents())));
      json(req, 200, windows.encode());
    } else if (path.equals("/maintenance") && method == HttpMethod.POST) {
      String length = req.getHeader("Content-Length");
      if (length != null && length.length() < 10 && Long.parseLong(length.replaceAll("[^0-9]", "0")) > MAX_BODY_BYTES) {
        error(req, 413, "body over " + MAX_BODY_BYTES + " bytes");
        return;
      }
      req.body().onSuccess(b -> {
        try {
          enter(req, b);
        } catch (RuntimeException e) {
          LOG.log(Level.ERROR, "Admin request failed path={0} error={1}", req.path(), e.toString());
          error(req, 500, "internal error; see the gateway log");
        }
      }).onFailure(e -> error(req, 400, "unreadable body"));
    } else if (path.equals("/maintenance") && method == HttpMethod.DELETE) {
      leave(req);
    } else if (path.equals("/health") || path.equals("/metrics") || path.equals("/metrics.json") || path.equals("/maintenance")) {
      req.response().setStatusCode(405).end();
    } else {
      req.response().setStatusCode(404).end();
    }
  }

  /**
   * {@code /healthz} and {@code /readyz}: no token, so that systemd, Docker and Kubernetes probes
   * need no secret; they say only alive, ready, degraded or not ready — the reasons are in {@code
   * /health}, behind the token.
   */
  private void probe(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().setStatusCode(405).end();
    } else if (req.path().equals("/healthz")) {
      json(req, 200, "{\"status\":\"alive\"}");
    } else {
      whenEvaluated(req, report -> json(req, statusCode(report),
          new JsonObject().put("status", report.state().word()).encode()));
    }
  }

  /** Runs the readiness checks and answers on the request's own context. */
  private void whenEvaluated(HttpServerRequest req, Handler<Readiness.Report> answer) {
    Future.fromCompletionStage(readiness.evaluate(), vertx.getOrCreateContext())
        .onSuccess(answer)
        .onFailure(e -> {
          LOG.log(Level.ERROR, "Readiness evaluation failed error={0}", e.toString());
          error(req, 500, "internal error; see the gateway log");
        });
  }

  private static int statusCode(Readiness.Report report) {
    return report.state() == Readiness.State.DOWN ? 503 : 200;
  }

  private void enter(HttpServerRequest req, Buffer body) {
    if (body.length() > MAX_BODY_BYTES) {
      error(req, 413, "body over " + MAX_BODY_BYTES + " bytes");
      return;
    }
    try {
      JsonObject in;
      try {
        in = body.toJsonObject();
      } catch (DecodeException | ClassCastException e) {
        throw new IllegalArgumentException("body must be a JSON object");
      }
      for (String key : in.fieldNames()) {
        if (!BODY_KEYS.contains(key)) {
          throw new IllegalArgumentException("unknown key '" + key + "'; known keys: " + BODY_KEYS);
        }
        if (!(in.getValue(key) instanceof String)) {
          throw new IllegalArgumentException(key + " must be a string");
        }
      }
      MaintenanceScope scope = scope(in.getString("device"), in.getString("site"));
      Instant until = until(in.getString("until"), in.getString("duration"));
      maintenance.enterMaintenance(scope, until);
      LOG.log(Level.INFO, "Admin maintenance requested scope={0} until={1} remote={2}", scope, until,
          req.remoteAddress());
      json(req, 202, new JsonObject().put("scope", scope.toString()).put("until", until.toString()).encode());
    } catch (IllegalArgumentException e) {
      error(req, 400, e.getMessage());
    } catch (IllegalStateException e) {
      error(req, 503, e.getMessage());
    }
  }

  /**
   * The end of a window from exactly one of {@code until} (ISO instant) and {@code duration}
   * (ISO-8601 duration), within {@code admin.maxMaintenanceHours}. The duration is checked against
   * the maximum before any date arithmetic, so no value can overflow.
   */
  private Instant until(String until, String duration) {
    if ((until == null) == (duration == null)) {
      throw new IllegalArgumentException("give exactly one of until (ISO instant, e.g. 2026-11-22T10:00:00Z) or "
          + "duration (ISO-8601, e.g. PT2H)");
    }
    Duration max = Duration.ofHours(config.maxMaintenanceHours());
    if (until != null) {
      Instant end;
      try {
        end = Instant.parse(until);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("until is not an ISO instant such as 2026-11-22T10:00:00Z");
      }
      Instant now = clock.instant();
      if (end.isAfter(now.plus(max))) {
        throw new IllegalArgumentException("until is more than " + max.toHours()
            + " h ahead; the longest window is admin.maxMaintenanceHours=" + max.toHours());
      }
      return end;
    }
    Duration d;
    try {
      d = Duration.parse(duration);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("duration is not an ISO-8601 duration such as PT2H");
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("duration must be positive, was " + d);
    }
    if (d.compareTo(max) > 0) {
      throw new IllegalArgumentException("duration is longer than " + max.toHours()
          + " h; the longest window is admin.maxMaintenanceHours=" + max.toHours());
    }
    return clock.instant().plus(d);
  }

  private void leave(HttpServerRequest req) {
    try {
      MaintenanceScope scope = scope(req.getParam("device"), req.getParam("site"));
      maintenance.leaveMaintenance(scope);
      LOG.log(Level.INFO, "Admin maintenance end requested scope={0} remote={1}", scope, req.remoteAddress());
      json(req, 202, new JsonObject().put("scope", scope.toString()).encode());
    } catch (IllegalArgumentException e) {
      error(req, 400, e.getMessage());
    } catch (IllegalStateException e) {
      error(req, 503, e.getMessage());
    }
  }

  private static MaintenanceScope scope(String device, String site) {
    if ((device == null) == (site == null)) {
      throw new IllegalArgumentException("give exactly one of device or site");
    }
    return device != null ? MaintenanceScope.device(device) : MaintenanceScope.site(SitePath.parse(site));
  }

  private void error(HttpServerRequest req, int status, String reason) {
    counters.increment("admin_rejected", "", "status_" + status);
    json(req, status, new JsonObject().put("error", reason).encode());
  }

  private static void json(HttpServerRequest req, int status, String body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  private static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
