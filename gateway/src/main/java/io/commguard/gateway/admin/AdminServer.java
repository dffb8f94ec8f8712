package io.commguard.gateway.admin;

import io.commguard.gateway.config.AdminConfig;
import io.commguard.gateway.metrics.Counters;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * The admin web server: a Vert.x Router holding the two probes and every area's routes.
 *
 * <pre>
 * GET    /healthz      200 {"status":"alive"} — no credentials: the process answers
 * GET    /readyz       200 {"status":"ready"|"degraded"}, 503 {"status":"not ready"} — no credentials
 * GET    /, /console/** the web console's page and files ({@link ConsoleFiles}) — no credentials
 * ...                  every other route: see the areas ({@link StatusRoutes}, ...), each behind {@link Access#require}
 * </pre>
 *
 * Plain HTTP on a loopback host; HTTPS only on any other ({@link AdminCertificate}). Every answer
 * carries the security headers (CSP {@code default-src 'self'}, no sniffing, no framing, no
 * referrer, and HSTS over HTTPS). Unknown paths answer 404, a known path with another method 405, a body
 * over an area's limit 413, and anything unexpected 500 (logged): no request is left unanswered.
 */
public final class AdminServer {
  private static final System.Logger LOG = System.getLogger(AdminServer.class.getName());

  private final Vertx vertx;
  private final AdminConfig config;
  private final Counters counters;
  private final Router router;
  private AdminCertificate certificate;
  private HttpServer server;

  /**
   * @param readiness the checks behind {@code /readyz}
   * @param areas the API's areas; each mounts its routes behind {@code access}
   */
  public AdminServer(Vertx vertx, AdminConfig config, Access access, Counters counters, Readiness readiness,
      List<ApiRoutes> areas) {
    this.vertx = vertx;
    this.config = config;
    this.counters = counters;
    this.router = Router.router(vertx);
    router.route().handler(AdminServer::securityHeaders);
    router.route("/healthz").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(ctx -> json(ctx, 200, "{\"status\":\"alive\"}"));
    router.route("/readyz").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(ctx -> whenEvaluated(ctx, readiness, report -> json(ctx, statusCode(report),
            new JsonObject().put("status", report.state().word()).encode())));
    ConsoleFiles.mount(router);
    areas.forEach(a -> a.mount(router, access));
    router.route().failureHandler(this::failed);
  }

  /** Every route with a path, as mounted: what the API-contract test compares with docs/openapi.yaml. */
  public List<Route> routes() {
    return router.getRoutes().stream().filter(r -> r.getPath() != null).toList();
  }

  /** Serves HTTPS with this certificate; required when {@code admin.host} is not loopback or {@code admin.tls.enabled}. */
  public AdminServer tls(AdminCertificate certificate) {
    this.certificate = certificate;
    return this;
  }

  /** Starts listening; completes with the bound port, or fails when HTTPS is required and no certificate was given. */
  public Future<Integer> start() {
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port());
    if (config.https()) {
      if (certificate == null) {
        return Future.failedFuture(new IllegalStateException("admin.host " + config.host()
            + " is not a loopback address (or admin.tls.enabled is true): the API answers HTTPS only, and no certificate was given"));
      }
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.certFile().toString())
          .setKeyPath(certificate.keyFile().toString()));
    }
    return vertx.createHttpServer(options)
        .requestHandler(router)
        .listen()
        .map(s -> {
          server = s;
          LOG.log(Level.INFO, "Admin API listening host={0} port={1} scheme={2}", config.host(),
              Integer.toString(s.actualPort()), options.isSsl() ? "https" : "http");
          if (options.isSsl()) {
            LOG.log(Level.INFO, "Admin API certificate file={0} sha256={1}", certificate.certFile(),
                certificate.fingerprint());
          }
          return s.actualPort();
        });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer");
    if (ctx.request().isSSL()) {
      ctx.response().headers().set("Strict-Transport-Security", "max-age=31536000");
    }
    ctx.next();
  }

  /** A failed route (an exception, or a body over its limit): answered, counted, and logged when unexpected. */
  private void failed(RoutingContext ctx) {
    int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
    counters.increment("admin_rejected", "", "status_" + status);
    if (status == 413) {
      ApiError.send(ctx, 413, "too_large", "body over the limit of this path");
    } else if (status >= 500) {
      LOG.log(Level.ERROR, "Admin request failed path={0} error={1}", ctx.request().path(),
          String.valueOf(ctx.failure()));
      ApiError.send(ctx, 500, "internal");
    } else if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).end();
    }
  }

  /** Runs the readiness checks and answers on the request's own context. */
  static void whenEvaluated(RoutingContext ctx, Readiness readiness, Handler<Readiness.Report> answer) {
    Future.fromCompletionStage(readiness.evaluate(), ctx.vertx().getOrCreateContext())
        .onSuccess(answer)
        .onFailure(ctx::fail);
  }

  static int statusCode(Readiness.Report report) {
    return report.state() == Readiness.State.DOWN ? 503 : 200;
  }

  static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

}
