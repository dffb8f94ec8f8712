package io.commguard.gateway.admin;

import io.commguard.gateway.audit.Audit;
import io.commguard.gateway.config.AdminConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.PrometheusMetrics;
import io.commguard.gateway.rule.MaintenanceControl;
import io.commguard.gateway.rule.MaintenanceScope;
import io.commguard.gateway.rule.spec.SitePath;
import io.vertx.core.Future;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Health details, metrics and maintenance windows: the admin API of earlier releases, at its old
 * paths and (health and maintenance) under {@code /api/v1/}.
 *
 * <pre>
 * GET    /health                         viewer   the readiness state and code, with every check's state and detail
 * GET    /metrics                        viewer   Prometheus text format (counters, gauges, JVM and process figures)
 * GET    /metrics.json                   viewer   {"counter{device=..,reason=..}": n, ...}
 * GET    /maintenance                    viewer   [{"scope":"device:gas-1","since":..,"until":..,"inhibitedEvents":n}]
 * POST   /maintenance                    technician  200 with the window as applied; body {"device":"gas-1"} or
 *                                        {"site":"310115001/B3"}, with {"until":"2026-11-22T10:00:00Z"} or {"duration":"PT2H"}
 * DELETE /maintenance?device=gas-1       technician  200 {"scope":..,"ended":true|false,"inhibitedEvents":n}
 *                                        (or ?site=310115001/B3)
 * </pre>
 *
 * Bad input: 400 naming the reason (unknown keys, both or neither of until and duration, an end in
 * the past or more than {@code admin.maxMaintenanceHours} ahead); 413 for a body over {@value
 * #MAX_BODY_BYTES} bytes; 503 when too many maintenance commands are waiting, or the change was not
 * committed within {@value #COMMIT_WAIT_SECONDS} s. The rules engine applies a command at its next
 * call (within about a second) and reports it as a MAINTENANCE alert; the answer waits for that
 * commit, so a {@code GET} right after it lists the change. Each applied change is logged (scope,
 * until, who, remote address) and written to the audit log.
 */
public final class StatusRoutes implements ApiRoutes {
  static final int MAX_BODY_BYTES = 4096;
  static final int COMMIT_WAIT_SECONDS = 10;
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
    maintenance.maintenanceWindows().forEach(w -> windows.add(json(w)));
    AdminServer.json(ctx, 200, windows.encode());
  }

  private static JsonObject json(MaintenanceControl.Window w) {
    return new JsonObject().put("scope", w.scope()).put("since", w.since().toString()).put("until", w.until().toString())
        .put("inhibitedEvents", w.inhibitedEvents());
  }

  /** Waits (off the event loop) for the engine to commit a command, then answers on {@code ctx}'s context. */
  private <T> void whenCommitted(RoutingContext ctx, MaintenanceScope scope, CompletionStage<T> applied,
      Consumer<T> then) {
    Future.fromCompletionStage(applied, vertx.getOrCreateContext()).timeout(COMMIT_WAIT_SECONDS, TimeUnit.SECONDS)
        .onSuccess(then::accept)
        .onFailure(e -> {
          LOG.log(Level.WARNING, "Maintenance change not confirmed scope={0} error={1}", scope, e.toString());
          rejected(ctx, 503, "busy", "the maintenance change for " + scope + " was not confirmed within "
              + COMMIT_WAIT_SECONDS + " s (" + e.getMessage() + "); GET /maintenance shows whether it applied");
        });
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
      String actor = Access.principal(ctx).actor();
      whenCommitted(ctx, scope, maintenance.enterMaintenance(scope, until), window -> {
        LOG.log(Level.INFO, "Admin maintenance applied scope={0} until={1} by={2} remote={3}", scope, window.until(),
            actor, ctx.request().remoteAddress());
        JsonObject after = new JsonObject().put("scope", scope.toString()).put("until", window.until().toString());
        audited(ctx, actor, "maintenance.enter", scope.toString(), after, 200, json(window));
      });
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
      String actor = Access.principal(ctx).actor();
      whenCommitted(ctx, scope, maintenance.leaveMaintenance(scope), ended -> {
        LOG.log(Level.INFO, "Admin maintenance end applied scope={0} ended={1} by={2} remote={3}", scope,
            ended.isPresent(), actor, ctx.request().remoteAddress());
        JsonObject answer = new JsonObject().put("scope", scope.toString()).put("ended", ended.isPresent())
            .put("inhibitedEvents", ended.map(MaintenanceControl.Window::inhibitedEvents).orElse(0L));
        audited(ctx, actor, "maintenance.leave", scope.toString(), null, 200, answer);
      });
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
