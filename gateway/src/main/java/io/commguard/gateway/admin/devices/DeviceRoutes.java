package io.commguard.gateway.admin.devices;

import io.commguard.gateway.admin.Access;
import io.commguard.gateway.admin.ApiError;
import io.commguard.gateway.admin.ApiRoutes;
import io.commguard.gateway.admin.Role;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.model.DeviceState;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.status.DeviceStatus;
import io.commguard.gateway.status.DeviceStatusBoard;
import io.commguard.gateway.validation.InvalidInputException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The device-facing admin API under {@code /api/v1} (docs/admin-api.md, docs/openapi.yaml):
 * devices, their state, credentials, CSV import and export, profiles, sites and live events.
 * Handlers run on the event loop and only read snapshots; changes go through {@link Provisioning}
 * (registry thread, provisioning threads) and each is recorded in the {@link AuditTrail} on a
 * worker before the answer.
 */
public final class DeviceRoutes implements ApiRoutes {
  static final int MAX_BODY_BYTES = 16 * 1024;
  static final int MAX_CSV_BYTES = 8 * 1024 * 1024;
  /** Events a slow live-event reader may have waiting before newer ones are dropped for it. */
  static final int MAX_PENDING_EVENTS = 1000;
  private static final long SSE_KEEPALIVE_MS = 15_000;
  private static final String P = "/api/v1";
  private static final System.Logger LOG = System.getLogger(DeviceRoutes.class.getName());

  private final Provisioning provisioning;
  private final DeviceStatusBoard status;
  private final List<ProfileInfo> profiles;
  private final AuditTrail audit;

  public DeviceRoutes(Provisioning provisioning, DeviceStatusBoard status, List<ProfileInfo> profiles, AuditTrail audit) {
    this.provisioning = provisioning;
    this.status = status;
    this.profiles = List.copyOf(profiles);
    this.audit = audit;
  }

  @Override
  public void mount(Router router, Access access) {
    BodyHandler json = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
    router.get(P + "/devices").handler(access.require(Role.VIEWER)).handler(this::list);
    router.get(P + "/devices/export").handler(access.require(Role.VIEWER)).handler(this::export);
    router.get(P + "/devices/import/template").handler(access.require(Role.VIEWER)).handler(this::template);
    router.post(P + "/devices/import").handler(BodyHandler.create(false).setBodyLimit(MAX_CSV_BYTES))
        .handler(access.require(Role.INSTALLER)).handler(this::importCsv);
    router.post(P + "/devices").handler(json).handler(access.require(Role.INSTALLER)).handler(this::create);
    router.get(P + "/devices/:id").handler(access.require(Role.VIEWER)).handler(this::show);
    router.put(P + "/devices/:id").handler(json).handler(access.require(Role.INSTALLER)).handler(this::update);
    router.delete(P + "/devices/:id").handler(access.require(Role.INSTALLER)).handler(this::remove);
    router.post(P + "/devices/:id/enable").handler(access.require(Role.TECHNICIAN)).handler(ctx -> state(ctx, DeviceState.ENABLED));
    router.post(P + "/devices/:id/disable").handler(access.require(Role.TECHNICIAN)).handler(ctx -> state(ctx, DeviceState.DISABLED));
    router.post(P + "/devices/:id/commission").handler(access.require(Role.TECHNICIAN))
        .handler(ctx -> state(ctx, DeviceState.COMMISSIONING));
    router.post(P + "/devices/:id/credentials").handler(access.require(Role.INSTALLER)).handler(this::rotate);
    router.get(P + "/devices/:id/events").handler(access.require(Role.TECHNICIAN)).handler(ctx -> events(ctx, ctx.pathParam("id")));
    router.get(P + "/events").handler(access.require(Role.TECHNICIAN)).handler(ctx -> events(ctx, null));
    router.get(P + "/profiles").handler(access.require(Role.VIEWER)).handler(this::profiles);
    router.get(P + "/sites").handler(access.require(Role.VIEWER)).handler(this::sites);
  }

  private static Messages msg(RoutingContext ctx) {
    return Messages.forAcceptLanguage(ctx.request().getHeader("Accept-Language"));
  }

  private JsonObject deviceJson(RegisteredDevice d) {
    return DeviceJson.device(d, status.status(d.id()));
  }

  private void list(RoutingContext ctx) {
    String wanted = ctx.queryParams().get("status");
    String site = ctx.queryParams().get("site");
    String state = ctx.queryParams().get("state");
    JsonArray out = new JsonArray();
    for (RegisteredDevice d : new TreeMap<>(provisioning.registry().devices()).values()) {
      DeviceStatus s = status.status(d.id());
      if (state != null && !d.config().state().name().equalsIgnoreCase(state)) {
        continue;
      }
      if (site != null && !Sites.format(d.config().site()).startsWith(site)) {
        continue;
      }
      if (wanted != null && (s == null || !(wanted.equals("rejecting") ? s.rejecting() : s.connection().word().equals(wanted)))) {
        continue;
      }
      out.add(DeviceJson.device(d, s));
    }
    json(ctx, 200, out.encode());
  }

  private void show(RoutingContext ctx) {
    RegisteredDevice d = provisioning.registry().get(ctx.pathParam("id"));
    if (d == null) {
      ApiError.send(ctx, 404, "not_found", msg(ctx).get("not_found", ctx.pathParam("id")));
      return;
    }
    json(ctx, 200, deviceJson(d).encode());
  }

  private void create(RoutingContext ctx) {
    DeviceConfig input;
    try {
      input = DeviceJson.parse(ctx.body().asString(), null);
    } catch (InvalidInputException e) {
      invalid(ctx, e);
      return;
    }
    answer(ctx, provisioning.create(input), created -> {
      JsonObject after = DeviceJson.config(created.device().config());
      record(ctx, "device.add", input.id(), null, after);
      JsonObject body = new JsonObject().put("device", deviceJson(created.device()));
      if (created.password() != null) {
        body.put("password", created.password());
      }
      return new Answer(201, body.encode());
    });
  }

  private void update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    DeviceConfig input;
    try {
      input = DeviceJson.parse(ctx.body().asString(), id);
    } catch (InvalidInputException e) {
      invalid(ctx, e);
      return;
    }
    JsonObject before = configOf(id);
    answer(ctx, provisioning.update(id, input), d -> {
      record(ctx, "device.update", id, before, DeviceJson.config(d.config()));
      return new Answer(200, deviceJson(d).encode());
    });
  }

  private void remove(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject before = configOf(id);
    answer(ctx, provisioning.remove(id), v -> {
      record(ctx, "device.remove", id, before, null);
      return new Answer(204, null);
    });
  }

  private void state(RoutingContext ctx, DeviceState state) {
    String id = ctx.pathParam("id");
    JsonObject before = configOf(id);
    String action = switch (state) {
      case ENABLED -> "device.enable";
      case DISABLED -> "device.disable";
      case COMMISSIONING -> "device.commission";
    };
    answer(ctx, provisioning.setState(id, state), d -> {
      record(ctx, action, id, before, DeviceJson.config(d.config()));
      return new Answer(200, deviceJson(d).encode());
    });
  }

  private void rotate(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    answer(ctx, provisioning.rotate(id), password -> {
      record(ctx, "device.credentials", id, null, new JsonObject().put("password", "changed"));
      return new Answer(200, new JsonObject().put("password", password).encode());
    });
  }

  private JsonObject configOf(String id) {
    RegisteredDevice d = provisioning.registry().get(id);
    return d == null ? null : DeviceJson.config(d.config());
  }

  private void importCsv(RoutingContext ctx) {
    String dryRun = ctx.queryParams().get("dryRun");
    boolean apply = "false".equals(dryRun);
    Messages msg = msg(ctx);
    byte[] csv = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    answer(ctx, provisioning.importCsv(csv, apply, msg), r -> {
      JsonArray errors = new JsonArray();
      r.errors().forEach(e -> errors.add(new JsonObject().put("row", e.row()).put("column", e.column()).put("reason", e.reason())));
      if (!r.applied()) {
        JsonObject body = new JsonObject().put("valid", r.valid()).put("errors", errors);
        if (apply) {
          body.put("error", "invalid").put("message", msg.get("import_invalid"));
        }
        return new Answer(apply ? 400 : 200, body.encode());
      }
      record(ctx, "device.import", "devices", null, new JsonObject().put("created", r.created()).put("updated", r.updated())
          .put("unchanged", r.unchanged()));
      return new Answer(200, new JsonObject().put("created", r.created()).put("updated", r.updated())
          .put("unchanged", r.unchanged()).put("credentialsCsv", r.credentialsCsv()).encode());
    });
  }

  private void export(RoutingContext ctx) {
    Future.fromCompletionStage(provisioning.exportCsv(), ctx.vertx().getOrCreateContext())
        .onSuccess(bytes -> csv(ctx, "devices.csv", bytes))
        .onFailure(ctx::fail);
  }

  private void template(RoutingContext ctx) {
    csv(ctx, "devices-template.csv", DeviceCsv.template());
  }

  private static void csv(RoutingContext ctx, String name, byte[] bytes) {
    ctx.response().setStatusCode(200).putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"").end(Buffer.buffer(bytes));
  }

  private void profiles(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    for (ProfileInfo p : profiles) {
      out.add(new JsonObject().put("id", p.id()).put("vendor", p.vendor()).put("model", p.model())
          .put("protocol", p.protocol()).put("description", p.description())
          .put("eventTypes", new JsonArray(p.eventTypes())).put("fields", new JsonArray(p.fields()))
          .put("heartbeat", p.heartbeat().toString()));
    }
    json(ctx, 200, out.encode());
  }

  private void sites(RoutingContext ctx) {
    Map<String, Integer> counts = new TreeMap<>();
    provisioning.registry().devices().values().forEach(d -> counts.merge(Sites.format(d.config().site()), 1, Integer::sum));
    JsonArray out = new JsonArray();
    counts.forEach((site, n) -> out.add(new JsonObject().put("site", site).put("devices", n)));
    json(ctx, 200, out.encode());
  }

  /**
   * Server-Sent Events: one {@code data:} line of JSON per decoded event, a comment every 15 s so
   * idle connections stay open. A reader that falls {@value #MAX_PENDING_EVENTS} events behind
   * loses the newer ones (counted in a {@code dropped} comment) rather than growing memory.
   */
  private void events(RoutingContext ctx, String deviceId) {
    if (deviceId != null && provisioning.registry().get(deviceId) == null) {
      ApiError.send(ctx, 404, "not_found", msg(ctx).get("not_found", deviceId));
      return;
    }
    var context = ctx.vertx().getOrCreateContext();
    var response = ctx.response();
    AtomicInteger pending = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    AutoCloseable subscription;
    try {
      subscription = status.subscribe(deviceId, e -> {
        if (pending.incrementAndGet() > MAX_PENDING_EVENTS) {
          pending.decrementAndGet();
          dropped.incrementAndGet();
          return;
        }
        context.runOnContext(v -> {
          pending.decrementAndGet();
          if (response.closed() || response.ended()) {
            return;
          }
          if (response.writeQueueFull()) {
            dropped.incrementAndGet();
            return;
          }
          int lost = dropped.getAndSet(0);
          response.write((lost > 0 ? ": dropped " + lost + "\n\n" : "") + "data: " + DeviceJson.event(e).encode() + "\n\n");
        });
      });
    } catch (IllegalStateException e) {
      ApiError.send(ctx, 503, "busy", msg(ctx).get("busy"));
      return;
    }
    response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
    response.write(": connected\n\n");
    long timer = ctx.vertx().setPeriodic(SSE_KEEPALIVE_MS, t -> {
      if (!response.closed() && !response.ended()) {
        response.write(": keepalive\n\n");
      }
    });
    response.closeHandler(v -> {
      ctx.vertx().cancelTimer(timer);
      try {
        subscription.close();
      } catch (Exception ignored) {
        // closing a subscription only removes it from a list
      }
    });
  }

  private record Answer(int status, String body) {}

  /**
   * Answers with {@code then}'s result once {@code stage} completes; {@code then} runs on a worker
   * (it may record to the audit log), the answer on the request's event loop.
   */
  private <T> void answer(RoutingContext ctx, CompletionStage<T> stage, Function<T, Answer> then) {
    var context = ctx.vertx().getOrCreateContext();
    Future.fromCompletionStage(stage, context)
        .compose(value -> ctx.vertx().executeBlocking(() -> then.apply(value), false))
        .onSuccess(a -> {
          if (a.body() == null) {
            ctx.response().setStatusCode(a.status()).end();
          } else {
            json(ctx, a.status(), a.body());
          }
        })
        .onFailure(error -> failed(ctx, error));
  }

  private void failed(RoutingContext ctx, Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    Messages msg = msg(ctx);
    String id = ctx.pathParam("id");
    if (e instanceof InvalidInputException invalid) {
      invalid(ctx, invalid);
    } else if (e instanceof Provisioning.ConfigDeviceException) {
      ApiError.send(ctx, 409, "config_device", msg.get("config_device", id));
    } else if (e instanceof Provisioning.ExistenceException x) {
      ApiError.send(ctx, x.exists ? 409 : 404, x.exists ? "exists" : "not_found",
          msg.get(x.exists ? "exists" : "not_found", id == null ? "" : id));
    } else if (e instanceof Provisioning.NoLoginException) {
      ApiError.send(ctx, 409, "no_login", msg.get("no_login", id));
    } else {
      LOG.log(Level.ERROR, "Device request failed path=" + ctx.request().path() + " error=" + e);
      ApiError.send(ctx, 500, "internal");
    }
  }

  private static void invalid(RoutingContext ctx, InvalidInputException e) {
    ApiError.send(ctx, 400, "invalid", msg(ctx).get("invalid"), e.problems().stream()
        .map(p -> new ApiError.Problem(p.path() == null ? "" : p.path().replaceFirst("^\\.", ""), p.reason())).toList());
  }

  private void record(RoutingContext ctx, String action, String target, JsonObject before, JsonObject after) {
    audit.record(Access.principal(ctx).actor(), action, target, before, after);
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
