package io.commguard.gateway.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.admin.Access;
import io.commguard.gateway.admin.AdminServer;
import io.commguard.gateway.admin.AdminToken;
import io.commguard.gateway.admin.Readiness;
import io.commguard.gateway.admin.Role;
import io.commguard.gateway.admin.StatusRoutes;
import io.commguard.gateway.audit.Audit;
import io.commguard.gateway.config.AdminConfig;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.PrometheusMetrics;
import io.commguard.gateway.rule.RuleEngine;
import io.commguard.gateway.rule.RuleStateStore;
import io.commguard.gateway.rule.spec.GatewayRules;
import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.testsupport.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session, users, tokens and audit routes on a real loopback port and a real users.db. */
class AuthRoutesTest {
  private static final String ADMIN_TOKEN = "configured-token-0123456";
  private static final String PASSWORD = "correct horse battery";
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
  private final Counters counters = new Counters();
  private final HttpClient http = HttpClient.newHttpClient();
  private final PrometheusMetrics metrics = new PrometheusMetrics(counters);
  private Vertx vertx;
  private UserStore store;
  private AdminServer server;
  private String base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    store = UserStore.open(dir, clock);
    store.addUser("alice", Role.ADMIN, PasswordHash.hash(PASSWORD.toCharArray(), 10_000));
    store.addUser("tom", Role.TECHNICIAN, PasswordHash.hash(PASSWORD.toCharArray(), 10_000));
    store.addUser("vera", Role.VIEWER, PasswordHash.hash(PASSWORD.toCharArray(), 10_000));
    AdminConfig config = new AdminConfig(true, "127.0.0.1", 0, null, null);
    AuthService auth = new AuthService(store, Optional.of(new AdminToken(ADMIN_TOKEN)), config, clock, System::nanoTime,
        counters);
    auth.reload();
    Audit audit = Audit.in(dir, clock);
    RuleEngine engine = new RuleEngine("gw-1", List.of(new DeviceConfig("gas-1", "p1", null, null, null)),
        GatewayRules.NONE, Map.of(), RuleStateStore.IN_MEMORY, clock, counters, () -> "id-1");
    vertx.setPeriodic(20, id -> engine.tick(clock.instant())); // the gateway's rule tick, which applies maintenance changes
    server = new AdminServer(vertx, config, new Access(auth, counters), counters, new Readiness(), List.of(
        new StatusRoutes(vertx, config, engine, counters, metrics, new Readiness(), audit, clock),
        new AuthRoutes(auth, store, audit, vertx.createSharedWorkerExecutor("admin-login", 2))));
    base = "http://127.0.0.1:" + server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    store.close();
    metrics.close();
  }

  @Test
  void login_setsAStrictHttpOnlyCookie_andChangesNeedTheCsrfToken() throws Exception {
    HttpResponse<String> login = login("tom", PASSWORD);
    assertThat(login.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(login.body());
    assertThat(body.getString("user")).isEqualTo("tom");
    assertThat(body.getString("role")).isEqualTo("technician");
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).startsWith(Access.SESSION_COOKIE + "=");
    assertThat(setCookie.toLowerCase(java.util.Locale.ROOT)).contains("; httponly", "; samesite=strict", "; path=/")
        .doesNotContain("secure", "max-age", "expires");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf = body.getString("csrfToken");

    HttpResponse<String> me = send(request("/api/v1/session").header("Cookie", cookie).GET());
    assertThat(new JsonObject(me.body()).getString("csrfToken")).isEqualTo(csrf);

    String window = "{\"device\":\"gas-1\",\"duration\":\"PT1H\"}";
    HttpResponse<String> noToken = send(request("/api/v1/maintenance").header("Cookie", cookie)
        .POST(HttpRequest.BodyPublishers.ofString(window)));
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(noToken.body()).getString("error")).isEqualTo("csrf");
    assertThat(send(request("/api/v1/maintenance").header("Cookie", cookie).header(Access.CSRF_HEADER, csrf)
        .POST(HttpRequest.BodyPublishers.ofString(window))).statusCode()).isEqualTo(200);

    assertThat(send(request("/api/v1/session").header("Cookie", cookie).header(Access.CSRF_HEADER, csrf).DELETE())
        .statusCode()).isEqualTo(204);
    assertThat(send(request("/api/v1/session").header("Cookie", cookie).GET()).statusCode()).isEqualTo(401);
  }

  @Test
  void badCredentials_are401_thenThrottledWithRetryAfter() throws Exception {
    HttpResponse<String> wrong = login("tom", "not the password");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(wrong.body()).getString("error")).isEqualTo("bad_credentials");
    assertThat(login("nobody", PASSWORD).statusCode()).isEqualTo(401);
    for (int i = 1; i < AuthService.FREE_FAILURES; i++) {
      login("tom", "not the password");
    }
    HttpResponse<String> locked = login("tom", PASSWORD);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("Retry-After")).isPresent();
    assertThat(new JsonObject(locked.body()).getString("error")).isEqualTo("throttled");
    HttpResponse<String> malformed = send(request("/api/v1/session").POST(HttpRequest.BodyPublishers.ofString("{\"user\":1}")));
    assertThat(malformed.statusCode()).isEqualTo(400);
  }

  @Test
  void users_areManagedByAnAdminOnly_andEveryChangeIsAudited() throws Exception {
    String vera = sessionOf("vera");
    assertThat(send(asSession(vera, "/api/v1/users").GET()).statusCode()).isEqualTo(403);

    String alice = sessionOf("alice");
    HttpResponse<String> added = send(asSession(alice, "/api/v1/users")
        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ian\",\"role\":\"installer\",\"password\":\"" + PASSWORD + "\"}")));
    assertThat(added.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(added.body()).getMap()).containsEntry("user", "ian").containsEntry("role", "installer")
        .doesNotContainKey("password");
    assertThat(send(asSession(alice, "/api/v1/users")
        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ian\",\"role\":\"viewer\",\"password\":\"" + PASSWORD + "\"}")))
        .statusCode()).isEqualTo(409);
    HttpResponse<String> weak = send(asSession(alice, "/api/v1/users")
        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ida\",\"role\":\"viewer\",\"password\":\"short\"}")));
    assertThat(weak.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(weak.body()).getString("message")).contains("10 to 256");
    assertThat(send(asSession(alice, "/api/v1/users/ian")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"role\":\"viewer\"}"))).statusCode()).isEqualTo(200);
    assertThat(send(asSession(alice, "/api/v1/users/alice").DELETE()).statusCode()).as("the last admin").isEqualTo(409);
    assertThat(send(asSession(alice, "/api/v1/users/ian").DELETE()).statusCode()).isEqualTo(204);
    assertThat(send(asSession(alice, "/api/v1/users/ian").DELETE()).statusCode()).isEqualTo(404);
    JsonArray users = new JsonArray(send(asSession(alice, "/api/v1/users").GET()).body());
    assertThat(users.stream().map(u -> ((JsonObject) u).getString("user"))).containsExactly("alice", "tom", "vera");

    JsonArray audit = new JsonArray(send(asSession(alice, "/api/v1/audit?limit=10").GET()).body());
    assertThat(audit.stream().map(e -> ((JsonObject) e).getString("actor") + " " + ((JsonObject) e).getString("action")
        + " " + ((JsonObject) e).getString("target")))
        .containsExactly("user:alice user.add ian", "user:alice user.update ian", "user:alice user.remove ian");
    assertThat(audit.getJsonObject(1).getJsonObject("before").getString("role")).isEqualTo("installer");
    assertThat(audit.getJsonObject(1).getJsonObject("after").getString("role")).isEqualTo("viewer");
    assertThat(audit.encode()).doesNotContain(PASSWORD);
    assertThat(send(asSession(sessionOf("tom"), "/api/v1/audit").GET()).statusCode()).isEqualTo(403);
  }

  @Test
  void apiTokens_areShownOnce_keptHashed_andCarryTheirRole() throws Exception {
    HttpResponse<String> made = send(request("/api/v1/tokens").header("Authorization", "Bearer " + ADMIN_TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"wall-screen\",\"role\":\"viewer\"}")));
    assertThat(made.statusCode()).isEqualTo(201);
    String token = new JsonObject(made.body()).getString("token");
    assertThat(token).startsWith("cgt_").hasSizeGreaterThan(40);
    String listed = send(request("/api/v1/tokens").header("Authorization", "Bearer " + ADMIN_TOKEN).GET()).body();
    assertThat(listed).contains("wall-screen").doesNotContain(token);
    assertThat(new JsonArray(listed).getJsonObject(0).getString("createdBy")).isEqualTo("admin-token");

    assertThat(send(request("/api/v1/maintenance").header("Authorization", "Bearer " + token).GET()).statusCode())
        .isEqualTo(200);
    assertThat(send(request("/api/v1/maintenance").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString("{\"device\":\"gas-1\",\"duration\":\"PT1H\"}"))).statusCode())
        .as("a viewer token").isEqualTo(403);
    assertThat(send(request("/api/v1/tokens/wall-screen").header("Authorization", "Bearer " + ADMIN_TOKEN).DELETE())
        .statusCode()).isEqualTo(204);
    assertThat(send(request("/api/v1/maintenance").header("Authorization", "Bearer " + token).GET()).statusCode())
        .isEqualTo(401);
  }

  @Test
  void everyRoute_butTheProbesTheLoginAndTheConsoleFiles_refusesAnAnonymousCaller() throws Exception {
    List<io.vertx.ext.web.Route> routes = server.routes();
    assertThat(routes).hasSizeGreaterThan(15);
    for (io.vertx.ext.web.Route route : routes) {
      String path = route.getPath().replaceAll(":[A-Za-z]+", "x");
      for (io.vertx.core.http.HttpMethod method : route.methods()) {
        int status = send(request(path).method(method.name(), HttpRequest.BodyPublishers.ofString("{}"))).statusCode();
        boolean open = path.equals("/healthz") || path.equals("/readyz") || path.equals("/") || path.startsWith("/console/")
            || (path.equals("/api/v1/session") && method == io.vertx.core.http.HttpMethod.POST);
        if (open) {
          assertThat(status).as(method + " " + path).isNotEqualTo(401);
        } else {
          assertThat(status).as(method + " " + path).isEqualTo(401);
        }
      }
    }
  }

  /** The areas this test mounts; each area's paths carry its tag in docs/openapi.yaml. */
  private static final java.util.Set<String> MOUNTED_TAGS = java.util.Set.of("status", "auth");

  @Test
  void everyRoute_isInTheOpenApiDocument_andEveryDocumentedPathOfTheseAreasIsRouted() throws Exception {
    JsonObject doc = openApi();
    java.util.Set<String> documented = new java.util.TreeSet<>();
    java.util.Set<String> documentedHere = new java.util.TreeSet<>();
    doc.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
      if (op.getKey().equals("parameters")) {
        return;
      }
      String key = op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey().replaceAll("\\{([A-Za-z]+)}", ":$1");
      documented.add(key);
      JsonArray tags = ((JsonObject) op.getValue()).getJsonArray("tags");
      if (tags != null && tags.stream().anyMatch(MOUNTED_TAGS::contains)) {
        documentedHere.add(key);
      }
    }));
    java.util.Set<String> routed = new java.util.TreeSet<>();
    for (io.vertx.ext.web.Route route : server.routes()) {
      if (route.getPath().equals("/") || route.getPath().startsWith("/console/")) {
        continue; // the console's files, not the API
      }
      route.methods().stream().filter(m -> m != io.vertx.core.http.HttpMethod.HEAD)
          .forEach(m -> routed.add(m.name() + " " + route.getPath()));
    }
    assertThat(documented).as("every route is documented").containsAll(routed);
    assertThat(routed).as("every documented path of the mounted areas exists").containsAll(documentedHere);
    HttpResponse<String> served = send(request("/api/v1/openapi.yaml").header("Authorization", "Bearer " + ADMIN_TOKEN).GET());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(new String(getClass().getClassLoader().getResourceAsStream(AuthRoutes.OPENAPI_RESOURCE)
        .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void answers_validateAgainstTheDocumentedSchemas() throws Exception {
    String admin = "Bearer " + ADMIN_TOKEN;
    conforms("/api/v1/session", "post", login("alice", PASSWORD));
    conforms("/api/v1/session", "post", login("alice", "wrong password"));
    String[] alice = sessionOf("alice").split("\\|");
    conforms("/api/v1/session", "get", send(request("/api/v1/session").header("Cookie", alice[0]).GET()));
    conforms("/api/v1/session", "get", send(request("/api/v1/session").header("Authorization", admin).GET()));
    conforms("/api/v1/users", "post", send(request("/api/v1/users").header("Authorization", admin)
        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ian\",\"role\":\"installer\",\"password\":\"" + PASSWORD + "\"}"))));
    conforms("/api/v1/users", "post", send(request("/api/v1/users").header("Authorization", admin)
        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ian\",\"role\":\"installer\",\"password\":\"" + PASSWORD + "\"}"))));
    conforms("/api/v1/users", "get", send(request("/api/v1/users").header("Authorization", admin).GET()));
    conforms("/api/v1/users/{user}", "put", send(request("/api/v1/users/ian").header("Authorization", admin)
        .PUT(HttpRequest.BodyPublishers.ofString("{\"role\":\"viewer\"}"))));
    conforms("/api/v1/users/{user}", "delete", send(request("/api/v1/users/nobody").header("Authorization", admin).DELETE()));
    conforms("/api/v1/tokens", "post", send(request("/api/v1/tokens").header("Authorization", admin)
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ci\",\"role\":\"viewer\"}"))));
    conforms("/api/v1/tokens", "get", send(request("/api/v1/tokens").header("Authorization", admin).GET()));
    conforms("/api/v1/audit", "get", send(request("/api/v1/audit").header("Authorization", admin).GET()));
    conforms("/api/v1/audit", "get", send(request("/api/v1/audit?limit=0").header("Authorization", admin).GET()));
    conforms("/api/v1/maintenance", "post", send(request("/api/v1/maintenance").header("Authorization", admin)
        .POST(HttpRequest.BodyPublishers.ofString("{\"device\":\"gas-1\",\"duration\":\"PT1H\"}"))));
    conforms("/api/v1/maintenance", "get", send(request("/api/v1/maintenance").header("Authorization", admin).GET()));
    conforms("/api/v1/maintenance", "post", send(request("/api/v1/maintenance").header("Cookie", alice[0])
        .POST(HttpRequest.BodyPublishers.ofString("{}"))));
    conforms("/api/v1/users", "get", send(request("/api/v1/users").GET()));
    conforms("/healthz", "get", send(request("/healthz").GET()));
    conforms("/metrics.json", "get", send(request("/metrics.json").header("Authorization", admin).GET()));
  }

  /** The answer's status is documented for the operation, and its JSON body validates against that response's schema. */
  private void conforms(String path, String method, HttpResponse<String> answer) {
    io.commguard.gateway.admin.OpenApiConformance.conforms(path, method, answer);
  }

  private static JsonObject openApi() throws Exception {
    try (java.io.InputStream in = AuthRoutesTest.class.getClassLoader().getResourceAsStream(AuthRoutes.OPENAPI_RESOURCE)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
          .readValue(in, Map.class);
      return new JsonObject(map);
    }
  }

  /** A session of the user, for requests that carry its cookie and CSRF token. */
  private String sessionOf(String user) throws Exception {
    HttpResponse<String> login = login(user, PASSWORD);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';')) + "|" + new JsonObject(login.body()).getString("csrfToken");
  }

  private HttpRequest.Builder asSession(String session, String path) {
    String[] parts = session.split("\\|");
    return request(path).header("Cookie", parts[0]).header(Access.CSRF_HEADER, parts[1]);
  }

  private HttpResponse<String> login(String user, String password) throws Exception {
    return send(request("/api/v1/session").POST(HttpRequest.BodyPublishers.ofString(
        new JsonObject().put("user", user).put("password", password).encode())));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
