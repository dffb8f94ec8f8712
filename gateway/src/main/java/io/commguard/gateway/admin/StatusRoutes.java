package io.commguard.gateway.admin;

import io.commguard.gateway.audit.Audit;
import io.commguard.gateway.config.AdminConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.PrometheusMetrics;
import io.commguard.gateway.rule.MaintenanceControl;
import io.commguard.gateway.rule.MaintenanceScope;
import io.commguard.gateway.rule.spec.SitePath;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Health details, metrics and maintenance windows: the admin API of earlier releases, at its old
 * paths and (health and maintenance) under {@code /api/v1/}.
 *
 * <pre>
 * GET    /health                         viewer   the readiness state and code, with every check's state and detail
 * GET    /metrics                        viewer   Prometheus text format (counters, gauges, JVM and process figures)
 * GET    /metrics.json                   viewer   {"counter{device=..,reason=..}": n, ...}
 * GET    /maintenance                    viewer   [{"scope":"device:gas-1","since":..,"until":..,"inhibitedEvents":n}]
 * POST   /maintenance                    technician  202; body {"device":"gas-1"} or {"site":"310115001/B3"},
 *                                        with {"until":"2026-11-22T10:00:00Z"} or {"duration":"PT2H"}
 * DELETE /maintenance?device=gas-1       technician  202 (or ?site=310115001/B3)
 * </pre>
 *
 * Bad input: 400 naming the reason (unknown keys, both or neither of until and duration, an end in
 * the past or more than {@code admin.maxMaintenanceHours} ahead); 413 for a body over {@value
 * #MAX_BODY_BYTES} bytes; 503 when too many maintenance commands are waiting. Maintenance commands
 * are applied by the rules engine on its next tick and reported as MAINTENANCE alerts; each
 * request is logged (scope, until, who, remote address) and written to the audit log.
 */
public final class StatusRoutes implements ApiRoutes {
  static final int MAX_BODY_BYTES = 4096;
  private static final Set<String> BODY_KEYS = Set.of("device", "site", "until", "duration");
  private static final System.Logger LOG = System.getLogger(StatusRoutes.class.getName());

  private final Vertx vertx;
  private final AdminConfig config;
  private final MaintenanceControl maintenance;
  private final Counters counters;
  private final PrometheusMetrics metrics;
  private final Readiness readiness;
  private final Audit audit;
  private final Clock clock;

  /** @param metrics what {@code GET /metrics} serves; its owner closes it */
  public StatusRoutes(Vertx vertx, AdminConfig config, MaintenanceControl maintenance, Counters counters,
      PrometheusMetrics metrics, Readiness readiness, Audit audit, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.maintenance = maintenance;
    this.counters = counters;
    this.metrics = metrics;
    this.readiness = readiness;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void mount(Router router, Access access) {
    for (String prefix : new String[] {"", "/api/v1"}) {
      router.get(prefix + "/health").handler(access.require(Role.VIEWER)).handler(this::health);
      router.get(prefix + "/maintenance").handler(access.require(Role.VIEWER)).handler(this::windows);
      router.post(prefix + "/maintenance").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
          .handler(access.require(Role.TECHNICIAN)).handler(this::enter);
      router.delete(prefix + "/maintenance").handler(access.require(Role.TECHNICIAN)).handler(this::leave);
    }
    router.get("/metrics").handler(access.require(Role.VIEWER)).handler(this::prometheus);
    router.get("/metrics.json").handler(access.require(Role.VIEWER)).handler(this::countersJson);
  }

  private void health(RoutingContext ctx) {
    AdminServer.whenEvaluated(ctx, readiness, report -> {
      JsonObject checks = new JsonObject();
      report.checks().forEach((name, r) -> checks.put(name,
          new JsonObject().put("state", r.state().name()).put("detail", r.detail())));
      AdminServer.json(ctx, AdminServer.statusCode(report),
          new JsonObject().put("status", report.state().word()).put("checks", checks).encode());
    });
  }

  private void prometheus(RoutingContext ctx) {
    vertx.executeBlocking(metrics::scrape, false)
        .onSuccess(text -> ctx.response().setStatusCode(200)
            .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text))
        .onFailure(ctx::fail);
  }

  private void countersJson(RoutingContext ctx) {
    JsonObject body = new JsonObject();
    counters.snapshot().forEach(body::put);
    AdminServer.json(ctx, 200, body.encode());
  }

  private void windows(RoutingContext ctx) {
    JsonArray windows = new JsonArray();
    maintenance.maintenanceWindows().forEach(w -> windows.add(new JsonObject().put("scope", w.scope())
        .put("since", w.since().toString()).put("until", w.until().toString())
        .put("inhibitedEvents", w.inhibitedEvents())));
    AdminServer.json(ctx, 200, windows.encode());
  }

  private void enter(RoutingContext ctx) {
    try {
      JsonObject in;
      try {
        in = ctx.body().asJsonObject();
      } catch (DecodeException | ClassCastException e) {
        in = null;
      }
      if (in == null) {
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
      String actor = Access.principal(ctx).actor();
      LOG.log(Level.INFO, "Admin maintenance requested scope={0} until={1} by={2} remote={3}", scope, until,
          actor, ctx.request().remoteAddress());
      JsonObject window = new JsonObject().put("scope", scope.toString()).put("until", until.toString());
      audited(ctx, actor, "maintenance.enter", scope.toString(), window, 202, window);
    } catch (IllegalArgumentException e) {
      rejected(ctx, 400, "bad_request", e.getMessage());
    } catch (IllegalStateException e) {
      rejected(ctx, 503, "busy", e.getMessage());
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

  private void leave(RoutingContext ctx) {
    try {
      MaintenanceScope scope = scope(ctx.request().getParam("device"), ctx.request().getParam("site"));
      maintenance.leaveMaintenance(scope);
      String actor = Access.principal(ctx).actor();
      LOG.log(Level.INFO, "Admin maintenance end requested scope={0} by={1} remote={2}", scope, actor,
          ctx.request().remoteAddress());
      audited(ctx, actor, "maintenance.leave", scope.toString(), null, 202, new JsonObject().put("scope", scope.toString()));
    } catch (IllegalArgumentException e) {
      rejected(ctx, 400, "bad_request", e.getMessage());
    } catch (IllegalStateException e) {
      rejected(ctx, 503, "busy", e.getMessage());
    }
  }

  /** Writes the change to the audit log on a worker, then answers. */
  private void audited(RoutingContext ctx, String actor, String action, String target, JsonObject after, int status,
      JsonObject answer) {
    vertx.executeBlocking(() -> audit.record(actor, action, target, null, after), false)
        .onSuccess(entry -> AdminServer.json(ctx, status, answer.encode()))
        .onFailure(ctx::fail);
  }

  private static MaintenanceScope scope(String device, String site) {
    if ((device == null) == (site == null)) {
      throw new IllegalArgumentException("give exactly one of device or site");
    }
    return device != null ? MaintenanceScope.device(device) : MaintenanceScope.site(SitePath.parse(site));
  }

  private void rejected(RoutingContext ctx, int status, String code, String message) {
    counters.increment("admin_rejected", "", "status_" + status);
    ApiError.send(ctx, status, code, message);
  }
}
