package io.commguard.gateway.admin.devices;

import io.commguard.gateway.admin.Access;
import io.commguard.gateway.admin.ApiError;
import io.commguard.gateway.admin.ApiRoutes;
import io.commguard.gateway.admin.Role;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceState;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.source.LinkScanning;
import io.commguard.gateway.source.LinkScanning.ScanLink;
import io.commguard.gateway.source.LinkScanning.ScanProgress;
import io.commguard.gateway.source.RunningSources;
import io.commguard.gateway.source.TestRead;
import io.commguard.gateway.source.TestReading;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The commissioning tools of polled devices under {@code /api/v1} (docs/provisioning.md): a test
 * read of one device, and scans of a link's unit ids run as background jobs. Which source offers
 * them is asked of the running sources ({@link TestReading}, {@link LinkScanning}); a device of a
 * source without them gets a {@code not_supported} answer. Handlers run on the event loop and never
 * wait on a device; starts and cancels are recorded in the audit log on a worker before the answer.
 */
public final class CommissioningRoutes implements ApiRoutes {
  static final int MAX_BODY_BYTES = 1024;
  /** A test read answers within this even if a source never completes it. */
  static final long TEST_READ_LIMIT_MS = 120_000;
  private static final String P = "/api/v1";
  private static final System.Logger LOG = System.getLogger(CommissioningRoutes.class.getName());

  private final Provisioning provisioning;
  private final RunningSources sources;
  private final AuditTrail audit;
  private final ScanJobs jobs;

  public CommissioningRoutes(Provisioning provisioning, RunningSources sources, AuditTrail audit, Clock clock) {
    this.provisioning = provisioning;
    this.sources = sources;
    this.audit = audit;
    this.jobs = new ScanJobs(clock);
  }

  @Override
  public void mount(Router router, Access access) {
    router.get(P + "/sources").handler(access.require(Role.VIEWER)).handler(this::sources);
    router.post(P + "/devices/:id/test-read").handler(access.require(Role.TECHNICIAN)).handler(this::testRead);
    router.get(P + "/links").handler(access.require(Role.VIEWER)).handler(this::links);
    router.post(P + "/links/:link/scan").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(access.require(Role.TECHNICIAN)).handler(this::scan);
    router.get(P + "/scans/:job").handler(access.require(Role.VIEWER)).handler(this::job);
    router.delete(P + "/scans/:job").handler(access.require(Role.TECHNICIAN)).handler(this::cancel);
  }

  private static Messages msg(RoutingContext ctx) {
    return Messages.forAcceptLanguage(ctx.request().getHeader("Accept-Language"));
  }

  private void sources(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    for (String name : sources.names()) {
      out.add(new JsonObject().put("name", name).put("testRead", sources.testReading(name).isPresent())
          .put("linkScan", sources.linkScanning(name).isPresent()));
    }
    json(ctx, 200, out.encode());
  }

  private void testRead(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    RegisteredDevice device = provisioning.registry().get(id);
    if (device == null) {
      ApiError.send(ctx, 404, "not_found", msg(ctx).get("not_found", id));
      return;
    }
    Optional<TestReading> reader = sources.testReading(device.source());
    if (reader.isEmpty()) {
      ApiError.send(ctx, 409, "not_supported", msg(ctx).get("test_read_not_supported", id, device.source()));
      return;
    }
    if (device.config().state() == DeviceState.DISABLED) {
      ApiError.send(ctx, 409, "not_available", msg(ctx).get("test_read_disabled", id));
      return;
    }
    audited(ctx, "device.test_read", id, new JsonObject(), () -> reader.get().testRead(id)
        .toCompletableFuture().orTimeout(TEST_READ_LIMIT_MS, TimeUnit.MILLISECONDS))
        .onSuccess(read -> json(ctx, 200, testReadJson(read).encode()))
        .onFailure(error -> {
          Throwable e = unwrap(error);
          if (e instanceof TestReading.NotAvailableException) {
            ApiError.send(ctx, 409, "not_available", e.getMessage());
          } else {
            failed(ctx, e);
          }
        });
  }

  private void links(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    for (Map.Entry<String, LinkScanning> scanner : sources.scanners()) {
      for (ScanLink link : scanner.getValue().scanLinks()) {
        out.add(new JsonObject().put("id", link.id()).put("source", scanner.getKey()).put("transport", link.transport())
            .put("minUnit", link.minAddress()).put("maxUnit", link.maxAddress()).put("timeoutMs", link.timeoutMs())
            .put("scan", jobs.latest(link.id()).map(CommissioningRoutes::jobJson).orElse(null)));
      }
    }
    json(ctx, 200, out.encode());
  }

  private void scan(RoutingContext ctx) {
    String linkId = ctx.pathParam("link");
    Messages msg = msg(ctx);
    Optional<Map.Entry<String, LinkScanning>> owner = sources.scanners().stream()
        .filter(s -> s.getValue().scanLinks().stream().anyMatch(l -> l.id().equals(linkId))).findFirst();
    if (owner.isEmpty()) {
      ApiError.send(ctx, 404, "not_found", msg.get("no_link", linkId));
      return;
    }
    ScanLink link = owner.get().getValue().scanLinks().stream().filter(l -> l.id().equals(linkId)).findFirst().orElseThrow();
    JsonObject body;
    try {
      String text = ctx.body().asString();
      body = text == null || text.isBlank() ? new JsonObject() : new JsonObject(text);
    } catch (RuntimeException e) {
      ApiError.send(ctx, 400, "invalid", msg.get("invalid"), java.util.List.of(new ApiError.Problem("", "body must be a JSON object")));
      return;
    }
    int first;
    int last;
    try {
      first = unit(body, "first", Math.max(1, link.minAddress()));
      last = unit(body, "last", Math.min(247, link.maxAddress()));
    } catch (IllegalArgumentException e) {
      ApiError.send(ctx, 400, "invalid", msg.get("invalid"), java.util.List.of(new ApiError.Problem(e.getMessage(), "must be a whole number")));
      return;
    }
    if (first < link.minAddress() || last > link.maxAddress() || first > last) {
      ApiError.send(ctx, 400, "invalid", msg.get("invalid"), java.util.List.of(new ApiError.Problem("first",
          msg.get("bad_scan_range", first, last, link.minAddress(), link.maxAddress(), link.transport()))));
      return;
    }
    Optional<ScanJobs.Job> running = jobs.latest(linkId).filter(j -> !j.progress.finished());
    if (running.isPresent()) {
      ApiError.send(ctx, 409, "scan_running", msg.get("scan_running", linkId, running.get().id));
      return;
    }
    if (jobs.full()) {
      ApiError.send(ctx, 503, "busy", msg.get("scans_busy"));
      return;
    }
    LinkScanning scanner = owner.get().getValue();
    JsonObject after = new JsonObject().put("first", first).put("last", last);
    audited(ctx, "link.scan", linkId, after, () -> {
      ScanJobs.Job job = jobs.create(linkId, first, last, Access.principal(ctx).actor());
      try {
        job.scan = scanner.scan(linkId, first, last, p -> jobs.progress(job, p));
      } catch (RuntimeException e) {
        jobs.forget(job);
        throw e;
      }
      return java.util.concurrent.CompletableFuture.completedFuture(job);
    }).onSuccess(j -> {
      ctx.response().putHeader("Location", P + "/scans/" + j.id);
      json(ctx, 202, jobJson(j).encode());
    }).onFailure(error -> {
      Throwable e = unwrap(error);
      if (e instanceof IllegalStateException) {
        ApiError.send(ctx, 409, "scan_running", e.getMessage());
      } else if (e instanceof IllegalArgumentException) {
        ApiError.send(ctx, 400, "invalid", e.getMessage());
      } else {
        failed(ctx, e);
      }
    });
  }

  private void job(RoutingContext ctx) {
    Optional<ScanJobs.Job> job = jobs.get(ctx.pathParam("job"));
    if (job.isEmpty()) {
      ApiError.send(ctx, 404, "not_found", msg(ctx).get("no_scan", ctx.pathParam("job")));
      return;
    }
    json(ctx, 200, jobJson(job.get()).encode());
  }

  private void cancel(RoutingContext ctx) {
    Optional<ScanJobs.Job> job = jobs.get(ctx.pathParam("job"));
    if (job.isEmpty()) {
      ApiError.send(ctx, 404, "not_found", msg(ctx).get("no_scan", ctx.pathParam("job")));
      return;
    }
    ScanJobs.Job j = job.get();
    if (j.progress.finished()) {
      json(ctx, 200, jobJson(j).encode());
      return;
    }
    audited(ctx, "link.scan_cancel", j.link, new JsonObject().put("job", j.id), () -> {
      j.scan.cancel();
      return java.util.concurrent.CompletableFuture.completedFuture(j);
    }).onSuccess(x -> json(ctx, 200, jobJson(x).encode())).onFailure(e -> failed(ctx, e));
  }

  private static int unit(JsonObject body, String key, int otherwise) {
    Object v = body.getValue(key);
    if (v == null) {
      return otherwise;
    }
    if (v instanceof Integer i) {
      return i;
    }
    throw new IllegalArgumentException(key);
  }

  /**
   * Records the action in the audit log (on a worker) and then runs it; the answer follows on the
   * request's event loop. A change that cannot be recorded is not made.
   */
  private <T> Future<T> audited(RoutingContext ctx, String action, String target, JsonObject after,
      Supplier<java.util.concurrent.CompletionStage<T>> then) {
    String actor = Access.principal(ctx).actor();
    var context = ctx.vertx().getOrCreateContext();
    return ctx.vertx().executeBlocking(() -> {
      audit.record(actor, action, target, null, after);
      return null;
    }, false).compose(v -> {
      try {
        return Future.fromCompletionStage(then.get(), context);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
  }

  private void failed(RoutingContext ctx, Throwable error) {
    LOG.log(Level.ERROR, "Commissioning request failed path=" + ctx.request().path() + " error=" + unwrap(error));
    ApiError.send(ctx, 500, "internal");
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  static JsonObject jobJson(ScanJobs.Job j) {
    ScanProgress p = j.progress;
    JsonArray answered = new JsonArray();
    p.answered().forEach(a -> answered.add(new JsonObject().put("unitId", a.address()).put("exceptionCode", a.exceptionCode())
        .put("exception", a.exception()).put("device", a.device())));
    return new JsonObject().put("id", j.id).put("link", j.link).put("first", j.first).put("last", j.last)
        .put("state", j.state()).put("probed", p.probed()).put("total", p.total())
        .put("next", p.finished() ? null : p.next()).put("answered", answered).put("failure", p.failure())
        .put("started", j.started.toString()).put("finished", j.finished == null ? null : j.finished.toString())
        .put("by", j.by);
  }

  static JsonObject testReadJson(TestRead r) {
    JsonArray raw = new JsonArray();
    r.raw().forEach(v -> raw.add(new JsonObject().put("table", v.table()).put("function", v.function())
        .put("address", v.address()).put("value", v.value()).put("hex", v.hex())));
    JsonArray fields = new JsonArray();
    r.fields().forEach(f -> fields.add(new JsonObject().put("name", f.name()).put("table", f.table()).put("address", f.address())
        .put("span", f.span()).put("raw", f.raw()).put("value", f.value()).put("unit", f.unit())
        .put("measurement", f.measurement())));
    JsonArray conditions = new JsonArray();
    r.conditions().forEach(c -> conditions.add(new JsonObject().put("id", c.id()).put("state", c.state()).put("type", c.type())
        .put("active", c.active()).put("nativeCode", c.nativeCode())));
    JsonArray events = new JsonArray();
    r.events().forEach(e -> events.add(eventJson(e)));
    JsonArray failures = new JsonArray();
    r.failures().forEach(f -> failures.add(new JsonObject().put("what", f.what()).put("reason", f.reason()).put("detail", f.detail())));
    return new JsonObject().put("device", r.deviceId()).put("peer", r.peer()).put("time", r.time().toString())
        .put("durationMs", r.durationMs()).put("raw", raw).put("fields", fields).put("conditions", conditions)
        .put("events", events).put("failures", failures);
  }

  private static JsonObject eventJson(DeviceEvent e) {
    JsonObject fields = new JsonObject();
    e.measurements().forEach(m -> fields.put(m.name(), m.unit().isEmpty() ? String.valueOf(m.value()) : m.value() + " " + m.unit()));
    new java.util.TreeMap<>(e.attributes()).forEach(fields::put);
    return new JsonObject().put("type", e.type().name()).put("kind", e.kind().name()).put("phase", e.phase().name())
        .put("level", e.level()).put("code", e.nativeCode()).put("description", e.description()).put("fields", fields);
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
