package io.commguard.gateway.admin.auth;

import io.commguard.gateway.admin.Access;
import io.commguard.gateway.admin.ApiError;
import io.commguard.gateway.admin.ApiRoutes;
import io.commguard.gateway.admin.Principal;
import io.commguard.gateway.admin.Role;
import io.commguard.gateway.audit.Audit;
import io.commguard.gateway.security.PasswordHash;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The session, users, API tokens and audit log under {@code /api/v1/}:
 *
 * <pre>
 * POST   /session             none     {"user","password"} → 200 {"user","role","csrfToken"} + cookie; 401; 429 + Retry-After
 * GET    /session             viewer   {"user","role","csrfToken"} (csrfToken null for a bearer token)
 * DELETE /session             viewer   204, the cookie cleared
 * GET    /users               admin    [{"user","role","created"}]
 * POST   /users               admin    {"user","role","password"} → 201 {"user","role","created"}
 * PUT    /users/:user         admin    {"role"?, "password"?} → 200 {"user","role","created"}
 * DELETE /users/:user         admin    204
 * GET    /tokens              admin    [{"name","role","created","createdBy"}]
 * POST   /tokens              admin    {"name","role"} → 201 {"name","role","created","createdBy","token"} (the token shown once)
 * DELETE /tokens/:name        admin    204
 * GET    /audit?limit=100     admin    [{"seq","time","actor","action","target","before","after","hash"}], oldest first
 * GET    /openapi.yaml        viewer   the OpenAPI document of the whole API (docs/openapi.yaml)
 * </pre>
 *
 * Password checks run on their own two worker threads, at most {@value #MAX_PENDING_LOGINS} waiting
 * (503 beyond): a login flood delays only logins. Every change is written to the audit log (never a
 * password or token) before it is answered.
 */
public final class AuthRoutes implements ApiRoutes {
  static final int MAX_BODY_BYTES = 4096;
  static final int MAX_PENDING_LOGINS = 16;
  private static final int MAX_AUDIT_LIMIT = 1000;
  public static final String OPENAPI_RESOURCE = "api/openapi.yaml";
  private static final String OPENAPI = openApi();
  private static final System.Logger LOG = System.getLogger(AuthRoutes.class.getName());

  private final AuthService auth;
  private final UserStore store;
  private final Audit audit;
  private final WorkerExecutor logins;
  private final AtomicInteger pendingLogins = new AtomicInteger();

  public AuthRoutes(AuthService auth, UserStore store, Audit audit, WorkerExecutor logins) {
    this.auth = auth;
    this.store = store;
    this.audit = audit;
    this.logins = logins;
  }

  @Override
  public void mount(Router router, Access access) {
    String p = "/api/v1";
    router.post(p + "/session").handler(body()).handler(this::login);
    router.get(p + "/session").handler(access.require(Role.VIEWER)).handler(this::whoAmI);
    router.delete(p + "/session").handler(access.require(Role.VIEWER)).handler(this::logout);
    router.get(p + "/users").handler(access.require(Role.ADMIN)).handler(this::listUsers);
    router.post(p + "/users").handler(body()).handler(access.require(Role.ADMIN)).handler(this::addUser);
    router.put(p + "/users/:user").handler(body()).handler(access.require(Role.ADMIN)).handler(this::updateUser);
    router.delete(p + "/users/:user").handler(access.require(Role.ADMIN)).handler(this::removeUser);
    router.get(p + "/tokens").handler(access.require(Role.ADMIN)).handler(this::listTokens);
    router.post(p + "/tokens").handler(body()).handler(access.require(Role.ADMIN)).handler(this::addToken);
    router.delete(p + "/tokens/:name").handler(access.require(Role.ADMIN)).handler(this::removeToken);
    router.get(p + "/audit").handler(access.require(Role.ADMIN)).handler(this::auditLog);
    router.get(p + "/openapi.yaml").handler(access.require(Role.VIEWER)).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8").end(OPENAPI));
  }

  /** The OpenAPI document (docs/openapi.yaml, copied into the jar by the build). */
  private static String openApi() {
    try (java.io.InputStream in = AuthRoutes.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static BodyHandler body() {
    return BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
  }

  private void login(RoutingContext ctx) {
    JsonObject in = object(ctx, Set.of("user", "password"), Set.of("user", "password"));
    if (in == null) {
      return;
    }
    String user = in.getString("user");
    String password = in.getString("password");
    if (user.length() > 64 || password.length() > UserStore.MAX_PASSWORD_LENGTH) {
      ApiError.send(ctx, 401, "bad_credentials");
      return;
    }
    if (pendingLogins.incrementAndGet() > MAX_PENDING_LOGINS) {
      pendingLogins.decrementAndGet();
      ApiError.send(ctx, 503, "busy", "too many logins at once; try again in a few seconds");
      return;
    }
    String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    logins.executeBlocking(() -> auth.login(user, password.toCharArray(), address), false)
        .onComplete(done -> pendingLogins.decrementAndGet())
        .onSuccess(result -> {
          if (result instanceof AuthService.Login.Ok ok) {
            Cookie cookie = Cookie.cookie(Access.SESSION_COOKIE, ok.cookie()).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(ctx.request().isSSL());
            ctx.response().addCookie(cookie);
            LOG.log(Level.INFO, "Admin login user={0} remote={1}", user, address);
            json(ctx, 200, session(ok.session().principal(), ok.session().csrfToken()));
          } else if (result instanceof AuthService.Login.Throttled t) {
            ctx.response().putHeader("Retry-After", Long.toString(t.retryAfterSeconds()));
            ApiError.send(ctx, 429, "throttled");
          } else {
            LOG.log(Level.WARNING, "Admin login refused remote={0}", address);
            ApiError.send(ctx, 401, "bad_credentials");
          }
        })
        .onFailure(ctx::fail);
  }

  private void whoAmI(RoutingContext ctx) {
    Principal p = Access.principal(ctx);
    Cookie cookie = ctx.request().getCookie(Access.SESSION_COOKIE);
    String csrf = p.kind() == Principal.Kind.SESSION && cookie != null
        ? auth.session(cookie.getValue()).map(s -> s.csrfToken()).orElse(null) : null;
    json(ctx, 200, session(p, csrf));
  }

  private void logout(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(Access.SESSION_COOKIE);
    if (cookie != null) {
      auth.logout(cookie.getValue());
    }
    ctx.response().addCookie(Cookie.cookie(Access.SESSION_COOKIE, "").setPath("/").setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT).setSecure(ctx.request().isSSL()).setMaxAge(0));
    ctx.response().setStatusCode(204).end();
  }

  private void listUsers(RoutingContext ctx) {
    blocking(ctx, () -> {
      JsonArray out = new JsonArray();
      store.users().forEach(u -> out.add(user(u)));
      return out.encode();
    }, 200);
  }

  private void addUser(RoutingContext ctx) {
    JsonObject in = object(ctx, Set.of("user", "role", "password"), Set.of("user", "role", "password"));
    if (in == null) {
      return;
    }
    String actor = Access.principal(ctx).actor();
    blocking(ctx, () -> {
      Role role = Role.parse(in.getString("role"));
      char[] password = in.getString("password").toCharArray();
      UserStore.checkPassword(password);
      UserStore.User u = store.addUser(in.getString("user"), role, PasswordHash.hash(password));
      audit.record(actor, "user.add", u.name(), null, new JsonObject().put("role", role.word()));
      auth.reload();
      return user(u).encode();
    }, 201);
  }

  private void updateUser(RoutingContext ctx) {
    JsonObject in = object(ctx, Set.of("role", "password"), Set.of());
    if (in == null) {
      return;
    }
    String name = ctx.pathParam("user");
    String actor = Access.principal(ctx).actor();
    blocking(ctx, () -> {
      Role role = in.getString("role") == null ? null : Role.parse(in.getString("role"));
      String hash = null;
      if (in.getString("password") != null) {
        char[] password = in.getString("password").toCharArray();
        UserStore.checkPassword(password);
        hash = PasswordHash.hash(password);
      }
      UserStore.User before = store.updateUser(name, role, hash);
      Role after = role == null ? before.role() : role;
      JsonObject changed = new JsonObject().put("role", after.word());
      if (hash != null) {
        changed.put("password", "changed");
      }
      audit.record(actor, "user.update", name, new JsonObject().put("role", before.role().word()), changed);
      auth.reload();
      return user(new UserStore.User(name, after, "", before.created())).encode();
    }, 200);
  }

  private void removeUser(RoutingContext ctx) {
    String name = ctx.pathParam("user");
    String actor = Access.principal(ctx).actor();
    blocking(ctx, () -> {
      UserStore.User before = store.removeUser(name);
      audit.record(actor, "user.remove", name, new JsonObject().put("role", before.role().word()), null);
      auth.reload();
      return null;
    }, 204);
  }

  private void listTokens(RoutingContext ctx) {
    blocking(ctx, () -> {
      JsonArray out = new JsonArray();
      store.tokens().forEach(t -> out.add(token(t)));
      return out.encode();
    }, 200);
  }

  private void addToken(RoutingContext ctx) {
    JsonObject in = object(ctx, Set.of("name", "role"), Set.of("name", "role"));
    if (in == null) {
      return;
    }
    String actor = Access.principal(ctx).actor();
    blocking(ctx, () -> {
      Role role = Role.parse(in.getString("role"));
      String[] tokenAndHash = AuthService.newToken();
      UserStore.Token t = store.addToken(in.getString("name"), role, tokenAndHash[1], actor);
      audit.record(actor, "token.add", t.name(), null, new JsonObject().put("role", role.word()));
      auth.reload();
      return token(t).put("token", tokenAndHash[0]).encode();
    }, 201);
  }

  private void removeToken(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String actor = Access.principal(ctx).actor();
    blocking(ctx, () -> {
      UserStore.Token before = store.removeToken(name);
      audit.record(actor, "token.remove", name, new JsonObject().put("role", before.role().word()), null);
      auth.reload();
      return null;
    }, 204);
  }

  private void auditLog(RoutingContext ctx) {
    int limit;
    try {
      String given = ctx.request().getParam("limit");
      limit = given == null ? 100 : Integer.parseInt(given);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_AUDIT_LIMIT) {
      ApiError.send(ctx, 400, "bad_request", "limit must be 1 to " + MAX_AUDIT_LIMIT);
      return;
    }
    int n = limit;
    blocking(ctx, () -> {
      JsonArray out = new JsonArray();
      audit.latest(n).forEach(e -> out.add(e.toJson()));
      return out.encode();
    }, 200);
  }

  /**
   * Runs a store change or read on a worker and answers with its JSON (null: no body), mapping
   * the store's refusals: 404 not_found, 409 conflict, 400 bad_request.
   */
  private void blocking(RoutingContext ctx, Callable<String> work, int status) {
    Future<String> done = ctx.vertx().executeBlocking(work, false);
    done.onSuccess(body -> {
      if (body == null) {
        ctx.response().setStatusCode(status).end();
      } else {
        json(ctx, status, body);
      }
    }).onFailure(e -> {
      if (e instanceof UserStore.NotFound) {
        ApiError.send(ctx, 404, "not_found", e.getMessage());
      } else if (e instanceof UserStore.Conflict) {
        ApiError.send(ctx, 409, "conflict", e.getMessage());
      } else if (e instanceof IllegalArgumentException) {
        ApiError.send(ctx, 400, "bad_request", e.getMessage());
      } else {
        ctx.fail(e);
      }
    });
  }

  /**
   * The body as an object of string values, only {@code allowed} keys and every {@code required}
   * one; null after answering 400.
   */
  private static JsonObject object(RoutingContext ctx, Set<String> allowed, Set<String> required) {
    JsonObject in;
    try {
      in = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      in = null;
    }
    if (in == null) {
      ApiError.send(ctx, 400, "bad_request", "body must be a JSON object");
      return null;
    }
    for (String key : in.fieldNames()) {
      if (!allowed.contains(key)) {
        ApiError.send(ctx, 400, "bad_request", "unknown key '" + key.replaceAll("[^\\x20-\\x7e]", "?")
            + "'; known keys: " + allowed);
        return null;
      }
      if (!(in.getValue(key) instanceof String)) {
        ApiError.send(ctx, 400, "bad_request", key + " must be a string");
        return null;
      }
    }
    for (String key : required) {
      if (in.getString(key) == null) {
        ApiError.send(ctx, 400, "bad_request", key + " is required");
        return null;
      }
    }
    return in;
  }

  private static String session(Principal p, String csrf) {
    return new JsonObject().put("user", p.name()).put("role", p.role().word()).put("csrfToken", csrf).encode();
  }

  private static JsonObject user(UserStore.User u) {
    return new JsonObject().put("user", u.name()).put("role", u.role().word()).put("created", u.created());
  }

  private static JsonObject token(UserStore.Token t) {
    return new JsonObject().put("name", t.name()).put("role", t.role().word()).put("created", t.created())
        .put("createdBy", t.createdBy());
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
