package io.commguard.gateway.admin;

import io.commguard.gateway.registry.DeviceChanges;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.validation.InvalidInputException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The config reload, as SIGHUP does it: re-reads the config file the gateway was started with and
 * its profiles, applies the devices live and names what needs a restart.
 *
 * <pre>
 * POST /reload           admin   200 {"devices":{"added":[ids],"updated":[ids],"removed":[ids]},"needsRestart":[keys]}
 * POST /api/v1/reload    admin   400 {"error":"invalid_config","message":..,"problems":[{"path","reason"}]}: nothing changed
 * </pre>
 *
 * The reload reads files and waits for the device registry, so it runs on a worker thread, never
 * on the event loop; reloads (and SIGHUP) run one at a time. Each is logged with who asked.
 */
public final class ReloadRoutes implements ApiRoutes {
  private static final System.Logger LOG = System.getLogger(ReloadRoutes.class.getName());

  /** What a reload applied: the devices and the top-level keys that wait for a restart. */
  public record Applied(DeviceChanges devices, List<String> needsRestart) {}

  /** The gateway's reload of its config file. */
  @FunctionalInterface
  public interface Reloader {
    /** @throws InvalidInputException every problem of the file; nothing was applied */
    Applied reload() throws Exception;
  }

  private final Reloader reloader;

  public ReloadRoutes(Reloader reloader) {
    this.reloader = reloader;
  }

  @Override
  public void mount(Router router, Access access) {
    for (String prefix : new String[] {"", "/api/v1"}) {
      router.post(prefix + "/reload").handler(access.require(Role.ADMIN)).handler(this::reload);
    }
  }

  private void reload(RoutingContext ctx) {
    String who = Access.principal(ctx).name();
    ctx.vertx().<Applied>executeBlocking(reloader::reload, false).onComplete(done -> {
      if (done.succeeded()) {
        Applied a = done.result();
        LOG.log(Level.INFO, "Reload applied by admin API user={0} added={1} updated={2} removed={3} needsRestart={4}",
            who, a.devices().added().size(), a.devices().updated().size(), a.devices().removed().size(), a.needsRestart());
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(new JsonObject()
            .put("devices", new JsonObject().put("added", ids(a.devices().added()))
                .put("updated", ids(a.devices().updated())).put("removed", ids(a.devices().removed())))
            .put("needsRestart", new JsonArray(a.needsRestart())).encode());
      } else if (done.cause() instanceof InvalidInputException invalid) {
        LOG.log(Level.WARNING, "Reload refused, the gateway keeps its running config user={0} problems={1}", who,
            invalid.problems().size());
        ApiError.send(ctx, 400, "invalid_config", "the config has problems; nothing was changed: "
            + invalid.problems().stream().map(Object::toString).collect(Collectors.joining("; ")),
            invalid.problems().stream().map(p -> new ApiError.Problem(p.file() + ": " + p.path(), p.reason())).toList());
      } else {
        ctx.fail(done.cause());
      }
    });
  }

  private static JsonArray ids(List<RegisteredDevice> devices) {
    return new JsonArray(devices.stream().map(RegisteredDevice::id).toList());
  }
}
