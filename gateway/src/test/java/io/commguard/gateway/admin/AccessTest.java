package io.commguard.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.metrics.Counters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gate in front of every route: credentials, CSRF on cookie-authenticated changes, roles. */
class AccessTest {
  private static final Principal TECH = new Principal("tina", Principal.Kind.SESSION, Role.TECHNICIAN);
  private static final Principal VIEWER_TOKEN = new Principal("wall-screen", Principal.Kind.TOKEN, Role.VIEWER);
  private final Counters counters = new Counters();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Credentials credentials = new Credentials() {
    @Override
    public Optional<Principal> bearer(String token) {
      return Optional.ofNullable(Map.of("viewer-token", VIEWER_TOKEN).get(token));
    }

    @Override
    public Optional<Session> session(String cookie) {
      return cookie.equals("s1") ? Optional.of(new Session(TECH, "csrf-1")) : Optional.empty();
    }
  };
  private Vertx vertx;
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    Access access = new Access(credentials, counters);
    router.get("/api/v1/thing").handler(access.require(Role.VIEWER))
        .handler(ctx -> ctx.response().end(Access.principal(ctx).actor()));
    router.post("/api/v1/thing").handler(access.require(Role.TECHNICIAN))
        .handler(ctx -> ctx.response().end(Access.principal(ctx).actor()));
    router.delete("/api/v1/thing").handler(access.require(Role.ADMIN)).handler(ctx -> ctx.response().end());
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + server.actualPort() + "/api/v1/thing";
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void noOrUnknownCredentials_are401_inTheRequestsLanguage() throws Exception {
    HttpResponse<String> none = send(request().GET());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(new JsonObject(none.body()).getString("error")).isEqualTo("unauthenticated");
    HttpResponse<String> zh = send(request().header("Authorization", "Bearer nope").header("Accept-Language", "zh-CN,zh;q=0.9").GET());
    assertThat(zh.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(zh.body()).getString("message")).isEqualTo("请登录或提供 API 令牌");
    assertThat(send(request().header("Cookie", Access.SESSION_COOKIE + "=forged").GET()).statusCode()).isEqualTo(401);
    assertThat(counters.get("admin_rejected", "", "unauthorized")).isEqualTo(3);
  }

  @Test
  void aSessionChange_needsItsCsrfToken_aBearerTokenDoesNot() throws Exception {
    String cookie = Access.SESSION_COOKIE + "=s1";
    assertThat(send(request().header("Cookie", cookie).GET()).body()).isEqualTo("user:tina");
    HttpResponse<String> noCsrf = send(request().header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(noCsrf.body()).getString("error")).isEqualTo("csrf");
    assertThat(send(request().header("Cookie", cookie).header(Access.CSRF_HEADER, "csrf-2")
        .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(403);
    HttpResponse<String> ok = send(request().header("Cookie", cookie).header(Access.CSRF_HEADER, "csrf-1")
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("user:tina");
    assertThat(counters.get("admin_rejected", "", "csrf")).isEqualTo(2);
  }

  @Test
  void aRoleBelowTheRoutes_is403_higherRolesMayDoWhatLowerOnesMay() throws Exception {
    assertThat(send(request().header("Authorization", "Bearer viewer-token").GET()).body()).isEqualTo("token:wall-screen");
    HttpResponse<String> viewerPost = send(request().header("Authorization", "Bearer viewer-token")
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(viewerPost.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(viewerPost.body()).getString("error")).isEqualTo("forbidden");
    assertThat(send(request().header("Cookie", Access.SESSION_COOKIE + "=s1").header(Access.CSRF_HEADER, "csrf-1")
        .DELETE()).statusCode()).isEqualTo(403);
    assertThat(counters.get("admin_rejected", "", "forbidden")).isEqualTo(2);
  }

  private HttpRequest.Builder request() {
    return HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(10));
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
