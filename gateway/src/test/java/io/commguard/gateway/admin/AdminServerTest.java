package io.commguard.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.commguard.gateway.config.AdminConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.PrometheusMetrics;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.rule.RuleEngine;
import io.commguard.gateway.rule.RuleStateStore;
import io.commguard.gateway.rule.spec.GatewayRules;
import io.commguard.gateway.testsupport.MutableClock;
import io.commguard.gateway.testsupport.PrometheusParser;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API on a real loopback port, driving a real rules engine. */
class AdminServerTest {
  private static final String TOKEN = "test-token-0123456789abcdef";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T02:00:00Z"));
  private final Counters counters = new Counters();
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private RuleEngine engine;
  private final PrometheusMetrics metrics = new PrometheusMetrics(counters);
  private final Readiness readiness = new Readiness();
  private final AtomicReference<Readiness.Result> uplink = new AtomicReference<>(Readiness.Result.up("connected"));
  private final CompletableFuture<Readiness.Result> outboxAnswer = new CompletableFuture<>();
  @TempDir Path dataDir;
  private AdminServer server;
  private String base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    engine = new RuleEngine("gw-1", List.of(new DeviceConfig("gas-1", "p1", null, null, null)),
        GatewayRules.NONE, Map.of(), RuleStateStore.IN_MEMORY, clock, counters, () -> "id-1");
    counters.increment("events_in");
    readiness.register("uplink", () -> CompletableFuture.completedFuture(uplink.get()));
    server = server(new AdminConfig(true, "127.0.0.1", 0, null, null), readiness);
    int port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + port;
  }

  @AfterEach
  void stop() throws Exception {
    server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    metrics.close();
  }

  @Test
  void everyEndpoint_refusesAMissingOrWrongToken() throws Exception {
    for (String path : List.of("/health", "/metrics", "/maintenance")) {
      assertThat(send(HttpRequest.newBuilder(URI.create(base + path)).GET()).statusCode()).isEqualTo(401);
      assertThat(send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer wrong").GET())
          .statusCode()).isEqualTo(401);
    }
    assertThat(counters.get("admin_rejected", "", "unauthorized")).isEqualTo(6);
  }

  @Test
  void everyRoute_butTheProbes_refusesAnAnonymousCaller() throws Exception {
    List<io.vertx.ext.web.Route> routes = server.routes();
    assertThat(routes).extracting(io.vertx.ext.web.Route::getPath).contains("/metrics", "/api/v1/maintenance");
    for (io.vertx.ext.web.Route route : routes) {
      String path = route.getPath().replaceAll(":[A-Za-z]+", "x");
      for (io.vertx.core.http.HttpMethod method : route.methods()) {
        int status = send(anonymous(path).method(method.name(), HttpRequest.BodyPublishers.noBody())).statusCode();
        if (path.equals("/healthz") || path.equals("/readyz")) {
          assertThat(status).as(method + " " + path).isIn(200, 503);
        } else if (path.equals("/") || path.startsWith("/console/")) {
          assertThat(status).as(method + " " + path + ": the console's files, which hold no data").isIn(200, 404);
        } else {
          assertThat(status).as(method + " " + path).isEqualTo(401);
        }
      }
    }
  }

  @Test
  void everyAnswer_carriesTheSecurityHeaders() throws Exception {
    for (HttpResponse<String> r : List.of(send(anonymous("/healthz").GET()), send(authed("/metrics.json").GET()),
        send(anonymous("/api/v1/maintenance").GET()))) {
      assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).startsWith("default-src 'self'"));
      assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
      assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    }
  }

  @Test
  void probes_needNoToken_andSayOnlyTheState() throws Exception {
    HttpResponse<String> alive = send(anonymous("/healthz").GET());
    assertThat(alive.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(alive.body()).getMap()).containsExactly(Map.entry("status", "alive"));

    HttpResponse<String> ready = send(anonymous("/readyz").GET());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getMap()).containsExactly(Map.entry("status", "ready"));

    uplink.set(Readiness.Result.degraded("broker refused the connection at 10.0.0.9"));
    HttpResponse<String> degraded = send(anonymous("/readyz").GET());
    assertThat(degraded.statusCode()).isEqualTo(200);
    assertThat(degraded.body()).isEqualTo("{\"status\":\"degraded\"}").doesNotContain("10.0.0.9");

    uplink.set(Readiness.Result.down("outbox disk full"));
    HttpResponse<String> down = send(anonymous("/readyz").GET());
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).isEqualTo("{\"status\":\"not ready\"}");

    assertThat(send(anonymous("/readyz").method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode())
        .isEqualTo(503);
    assertThat(send(anonymous("/readyz").POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(405);
    assertThat(counters.get("admin_rejected", "", "unauthorized")).isZero();
  }

  @Test
  void health_givesEachCheckWithItsDetail_behindTheToken() throws Exception {
    readiness.register("outbox", () -> outboxAnswer);
    uplink.set(Readiness.Result.degraded("not connected"));
    outboxAnswer.complete(Readiness.Result.up("accepting alerts"));

    HttpResponse<String> health = send(authed("/health").GET());
    assertThat(health.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(health.body());
    assertThat(body.getString("status")).isEqualTo("degraded");
    assertThat(body.getJsonObject("checks").getJsonObject("uplink").getMap())
        .containsEntry("state", "DEGRADED").containsEntry("detail", "not connected");
    assertThat(body.getJsonObject("checks").getJsonObject("outbox").getMap())
        .containsEntry("state", "UP").containsEntry("detail", "accepting alerts");
    assertThat(send(anonymous("/health").GET()).statusCode()).isEqualTo(401);
  }

  @Test
  void readyz_aCheckThatDoesNotAnswer_isNotReady_withinTheTimeout() throws Exception {
    readiness.register("outbox", CompletableFuture::new);
    HttpResponse<String> ready = send(anonymous("/readyz").GET());
    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject health = new JsonObject(send(authed("/health").GET()).body());
    assertThat(health.getJsonObject("checks").getJsonObject("outbox").getString("detail"))
        .isEqualTo("no answer within " + Readiness.CHECK_TIMEOUT.toMillis() + " ms");
  }

  @Test
  void readyz_beforeAnyStageRegistered_isNotReady() throws Exception {
    AdminServer starting = server(new AdminConfig(true, "127.0.0.1", 0, null, null), new Readiness());
    int port = starting.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"));
      assertThat(send(probe.GET()).statusCode()).isEqualTo(503);
      HttpRequest.Builder alive = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"));
      assertThat(send(alive.GET()).statusCode()).isEqualTo(200);
    } finally {
      starting.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void metricsJson() throws Exception {
    HttpResponse<String> metrics = send(authed("/metrics.json").GET());
    assertThat(new JsonObject(metrics.body()).getLong("events_in")).isEqualTo(1L);
  }

  @Test
  void metrics_prometheusText_parsedByPrometheusClient_hostileLabelsEscaped() throws Exception {
    counters.increment("rejected", "cam-1\nINFO forged \"line\"", "malformed_json");
    HttpResponse<String> metrics = send(authed("/metrics").GET());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(metrics.body()).doesNotContain("\nINFO forged");

    List<PrometheusParser.Sample> samples = PrometheusParser.parse(metrics.body());
    assertThat(samples).filteredOn(s -> s.name().equals("commguard_events_in_total"))
        .singleElement().satisfies(s -> {
          assertThat(s.type()).isEqualTo("counter");
          assertThat(s.value()).isEqualTo(1.0);
        });
    assertThat(samples).filteredOn(s -> s.name().equals("commguard_rejected_total"))
        .singleElement().satisfies(s -> {
          assertThat(s.labels()).containsEntry("reason", "malformed_json");
          assertThat(s.labels().get("device")).startsWith("cam-1").doesNotContain("\n");
          assertThat(s.value()).isEqualTo(1.0);
        });
    assertThat(samples).extracting(PrometheusParser.Sample::family)
        .contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds", "process_cpu_usage",
            "process_files_open_files");
  }

  @Test
  void maintenance_postAnswersOnceApplied_soTheListShowsItAtOnce_andDeleteEndsIt() throws Exception {
    List<AlertDraft> alerts = new java.util.ArrayList<>();
    HttpResponse<String> posted = sendTicking(authed("/maintenance")
        .POST(HttpRequest.BodyPublishers.ofString("{\"device\":\"gas-1\",\"duration\":\"PT2H\"}")), alerts);
    assertThat(posted.statusCode()).isEqualTo(200);
    JsonObject window = new JsonObject(posted.body());
    assertThat(window.getString("scope")).isEqualTo("device:gas-1");
    assertThat(window.getString("since")).isEqualTo("2026-11-22T02:00:00Z");
    assertThat(window.getString("until")).isEqualTo("2026-11-22T04:00:00Z");
    assertThat(alerts).extracting(AlertDraft::type, a -> a.state().name())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(CanonicalType.MAINTENANCE, "RAISED"));

    JsonArray windows = new JsonArray(send(authed("/maintenance").GET()).body());
    assertThat(windows).as("listed as soon as the POST is answered, without another tick").hasSize(1);
    assertThat(windows.getJsonObject(0).getString("scope")).isEqualTo("device:gas-1");

    alerts.clear();
    HttpResponse<String> ended = sendTicking(authed("/maintenance?device=gas-1").DELETE(), alerts);
    assertThat(ended.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ended.body()).getBoolean("ended")).isTrue();
    assertThat(alerts).extracting(a -> a.state().name()).containsExactly("CLEARED");
    assertThat(new JsonArray(send(authed("/maintenance").GET()).body())).isEmpty();
    assertThat(new JsonObject(sendTicking(authed("/maintenance?device=gas-1").DELETE(), alerts).body()).getBoolean("ended"))
        .as("nothing left to end").isFalse();
    assertThat(io.commguard.gateway.audit.Audit.in(dataDir, clock).latest(10))
        .extracting(e -> e.actor() + " " + e.action() + " " + e.target())
        .contains("admin-token maintenance.enter device:gas-1", "admin-token maintenance.leave device:gas-1");
  }

  /** Sends {@code b} and runs the engine, as the gateway's one-second tick does, until it is answered. */
  private HttpResponse<String> sendTicking(HttpRequest.Builder b, List<AlertDraft> alerts) throws Exception {
    CompletableFuture<HttpResponse<String>> answer = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
      alerts.addAll(engine.tick(clock.instant()));
      return answer.isDone();
    });
    return answer.get();
  }

  @Test
  void badRequests_areRefusedWithAReason() throws Exception {
    record Case(String body, String reason) {}
    for (Case c : List.of(
        new Case("{\"device\":\"ghost\",\"duration\":\"PT1H\"}", "unknown device ghost"),
        new Case("{\"device\":\"gas-1\"}", "give exactly one of until"),
        new Case("{\"device\":\"gas-1\",\"until\":\"+999999999-12-31T23:59:59Z\"}", "more than 24 h ahead"),
        new Case("{\"device\":\"gas-1\",\"duration\":\"PT999999999999999H\"}", "longer than 24 h"),
        new Case("{\"device\":\"gas-1\",\"duration\":\"PT9223372036854775807S\"}", "longer than 24 h"),
        new Case("{\"device\":\"gas-1\",\"duration\":\"PT99999999999999999999H\"}", "ISO-8601"),
        new Case("{\"device\":\"gas-1\",\"duration\":\"-PT1H\"}", "positive"),
        new Case("{\"device\":\"gas-1\",\"duration\":\"PT1H\",\"until\":\"2026-11-22T03:00:00Z\"}",
            "exactly one of until"),
        new Case("{\"device\":\"gas-1\",\"duration\":7200}", "duration must be a string"),
        new Case("{\"device\":\"gas-1\",\"duraton\":\"PT1H\"}", "unknown key 'duraton'"),
        new Case("[1]", "JSON object"),
        new Case("{\"device\":\"gas-1\",\"site\":\"310115001\",\"duration\":\"PT1H\"}", "exactly one"),
        new Case("{\"device\":\"gas-1\",\"duration\":\"2 hours\"}", "ISO-8601"),
        new Case("{\"device\":\"gas-1\",\"until\":\"2020-01-01T00:00:00Z\"}", "future"),
        new Case("not json", "JSON object"))) {
      HttpResponse<String> r = send(authed("/maintenance").POST(HttpRequest.BodyPublishers.ofString(c.body())));
      assertThat(r.statusCode()).as(c.body()).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error")).as(c.body()).contains(c.reason());
    }
    assertThat(engine.tick(clock.instant())).as("nothing refused reaches the engine").isEmpty();
    assertThat(engine.maintenanceWindows()).isEmpty();
    assertThat(send(authed("/maintenance").POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000)))).statusCode())
        .isEqualTo(413);
    assertThat(send(authed("/nope").GET()).statusCode()).isEqualTo(404);
    assertThat(send(authed("/health").DELETE()).statusCode()).isEqualTo(405);
  }

  @Test
  void longestWindow_followsTheConfiguredMaximum() throws Exception {
    AdminServer twoHours = server(new AdminConfig(true, "127.0.0.1", 0, null, 2), readiness);
    int port = twoHours.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      HttpRequest.Builder post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/maintenance"))
          .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10));
      HttpResponse<String> tooLong = send(post.POST(HttpRequest.BodyPublishers.ofString(
          "{\"device\":\"gas-1\",\"duration\":\"PT3H\"}")));
      assertThat(tooLong.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(tooLong.body()).getString("error")).contains("admin.maxMaintenanceHours=2");
      assertThat(sendTicking(post.POST(HttpRequest.BodyPublishers.ofString("{\"device\":\"gas-1\",\"duration\":\"PT2H\"}")),
          new java.util.ArrayList<>()).statusCode()).isEqualTo(200);
    } finally {
      twoHours.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void refusesToStartWithoutAToken_orOffLoopback(@TempDir Path dir) throws Exception {
    AdminConfig noFile = new AdminConfig(true, null, null, null, null);
    assertThat(AdminToken.load(noFile, Map.of())).isEmpty();
    assertThat(AdminToken.load(noFile, Map.of(AdminToken.TOKEN_ENV, TOKEN)).orElseThrow().bearer(TOKEN))
        .contains(Principal.ADMIN_TOKEN);
    Path file = dir.resolve("token");
    Files.writeString(file, TOKEN + "\n");
    AdminToken fromFile = AdminToken.load(new AdminConfig(true, null, null, file.toString(), null), Map.of()).orElseThrow();
    assertThat(fromFile.bearer(TOKEN)).contains(Principal.ADMIN_TOKEN);
    assertThat(fromFile.bearer(TOKEN + "x")).isEmpty();
    Files.writeString(file, "  \n");
    assertThatThrownBy(() -> AdminToken.load(new AdminConfig(true, null, null, file.toString(), null), Map.of()))
        .hasMessageContaining("is empty");
    assertThatThrownBy(() -> server(new AdminConfig(true, "0.0.0.0", 0, null, null), readiness).start()
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasMessageContaining("not a loopback address").hasMessageContaining("HTTPS only");
    assertThatThrownBy(() -> new AdminToken("short")).hasMessageContaining("at least 16");
  }

  private AdminServer server(AdminConfig config, Readiness checks) {
    return new AdminServer(vertx, config, new Access(new AdminToken(TOKEN), counters), counters, checks,
        List.of(new StatusRoutes(vertx, config, engine, counters, metrics, checks, io.commguard.gateway.audit.Audit.in(dataDir, clock), clock)));
  }

  private HttpRequest.Builder anonymous(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
  }

  private HttpRequest.Builder authed(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN)
        .timeout(Duration.ofSeconds(10));
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
