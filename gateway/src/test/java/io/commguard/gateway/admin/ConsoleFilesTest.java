package io.commguard.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's files as a browser fetches them from the jar's classpath, on a real loopback port. */
class ConsoleFilesTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private String base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    ConsoleFiles.mount(router);
    int port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    base = "http://127.0.0.1:" + port;
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void root_isTheConsolePage_andItsFilesHaveTheirTypes() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(page.body()).contains("src=\"/console/js/main.js\"");
    HttpResponse<String> script = get("/console/js/main.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("javascript"));
    assertThat(script.headers().firstValue("Cache-Control")).contains("no-cache");
    HttpResponse<String> chinese = get("/console/i18n/zh-CN.json");
    assertThat(chinese.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    assertThat(chinese.body()).contains("\"login.submit\": \"登录\"");
  }

  @Test
  void nothingOutsideTheConsoleFolder_andNoListing() throws Exception {
    assertThat(get("/console/").body()).as("a folder shows its page, never a listing").contains("<title>CommGuard</title>");
    assertThat(get("/console/js/").statusCode()).isEqualTo(404);
    assertThat(get("/console/../logback.xml").statusCode()).isEqualTo(404);
    assertThat(get("/console/%2e%2e/logback.xml").statusCode()).isEqualTo(404);
    assertThat(get("/logback.xml").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
