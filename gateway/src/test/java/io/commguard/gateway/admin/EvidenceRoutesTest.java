package io.commguard.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.audit.Audit;
import io.commguard.gateway.config.AdminConfig;
import io.commguard.gateway.config.EvidenceConfig;
import io.commguard.gateway.config.EvidenceConfig.Keep;
import io.commguard.gateway.evidence.EvidenceStore;
import io.commguard.gateway.evidence.EvidenceStore.Subject;
import io.commguard.gateway.metrics.Counters;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kept pictures served over the admin API on a real loopback port, from a real evidence store, each read audited. */
class EvidenceRoutesTest {
  private static final String TOKEN = "test-token-0123456789abcdef";
  @TempDir Path dataDir;
  private final Counters counters = new Counters();
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private EvidenceStore store;
  private AdminServer server;
  private Audit audit;
  private String base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    store = EvidenceStore.open(new EvidenceConfig(Keep.KEEP, null, null, null, null), dataDir, counters, Clock.systemUTC());
    AdminConfig config = new AdminConfig(true, "127.0.0.1", 0, null, null);
    audit = Audit.in(dataDir, Clock.systemUTC());
    server = new AdminServer(vertx, config, new Access(new AdminToken(TOKEN), counters), counters, new Readiness(),
        List.of(new EvidenceRoutes(store, audit)));
    base = "http://127.0.0.1:" + server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    store.close();
  }

  @Test
  void keptPicture_isServedToAnAdmin_asAnImage_andNothingElseIs() throws Exception {
    byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4};
    String ref = store.store("cam-1", Subject.SCENE, jpeg).toCompletableFuture().get().orElseThrow();

    HttpResponse<byte[]> ok = get("/api/v1/evidence/" + ref, TOKEN);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    assertThat(ok.body()).isEqualTo(jpeg);
    assertThat(audit.latest(1)).singleElement().satisfies(e -> {
      assertThat(e.action()).isEqualTo("evidence.read");
      assertThat(e.target()).isEqualTo(ref);
    });
    assertThat(get("/api/v1/evidence/" + ref.substring(EvidenceStore.REF_PREFIX.length()), TOKEN).statusCode())
        .isEqualTo(200);

    assertThat(get("/api/v1/evidence/" + ref, null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/evidence/evidence:..%2Foutbox.db", TOKEN).statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/evidence/1795000000000-cam-1-00000000000000aa.jpg", TOKEN).statusCode()).isEqualTo(404);
  }

  private HttpResponse<byte[]> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
