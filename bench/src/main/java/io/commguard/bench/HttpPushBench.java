package io.commguard.bench;

import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.ProcStats;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code http_push} scenario: cameras pushing Hikvision XML events over HTTP keep-alive
 * connections to the gateway's push listener, each answered 200 only once its events are
 * committed, in a closed loop (every connection sends its next event when the previous one is
 * answered). Beside it, in the same run and with the same client, a bare endpoint that reads the
 * body and answers 200 at once: the box's limit for this client. The bare endpoint runs in the
 * harness's own JVM (so it shares the client's CPU, as the gateway does on a 2-core box).
 */
final class HttpPushBench {
  private static final String EVENT = """
      <?xml version="1.0" encoding="UTF-8"?>
      <EventNotificationAlert version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">
      <ipAddress>10.0.3.21</ipAddress><portNo>80</portNo><protocol>HTTP</protocol>
      <channelID>1</channelID><dateTime>2026-11-27T10:00:00+08:00</dateTime>
      <activePostCount>%d</activePostCount><eventType>fielddetection</eventType><eventState>active</eventState>
      <eventDescription>fielddetection alarm</eventDescription>
      <DetectionRegionList><DetectionRegionEntry><regionID>%d</regionID><detectionTarget>human</detectionTarget>
      </DetectionRegionEntry></DetectionRegionList>
      </EventNotificationAlert>
      """;

  private final Path work;
  private final EdgeJvm edge;
  private final Path profiles;
  private final List<String> jvm;

  HttpPushBench(Path work, EdgeJvm edge, Path profiles, List<String> jvm) {
    this.work = work;
    this.edge = edge;
    this.profiles = profiles;
    this.jvm = jvm;
  }

  Map<String, Object> run(int devices, int connections, int warmupSeconds, int seconds) throws Exception {
    Path dir = Scenarios.freshDir(work.resolve("http-push"));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("devices", devices);
    r.put("connections", connections);
    Vertx vertx = Vertx.vertx();
    try (MosquittoBroker city = MosquittoBroker.start(Files.createDirectories(dir.resolve("city-broker")))) {
      int port = FreePort.next();
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(config, yaml(dir.resolve("data"), port, city.port(), devices));
      try (GatewayProcess gateway = edge.start(config, jvm)) {
        gateway.awaitReady(java.time.Duration.ofSeconds(60));
        double cpu0 = ProcStats.cpuSeconds(gateway.pid());
        Loop pushed = loop(vertx, port, devices, connections, warmupSeconds, seconds);
        double cpu = ProcStats.cpuSeconds(gateway.pid()) - cpu0;
        r.put("pushed_events_per_s", Scenarios.round(pushed.perSecond));
        r.put("answered_200_total", pushed.answered);
        r.put("non_200_answers", pushed.failures);
        r.put("gateway_cpu_cores", Scenarios.round(cpu / (warmupSeconds + seconds)));
        r.put("peak_rss_mib", Scenarios.round(ProcStats.peakRssMib(gateway.pid())));
      }
      HttpServer bare = vertx.createHttpServer().requestHandler(req -> req.body().onComplete(b ->
          req.response().setStatusCode(200).end())).listen(0, "127.0.0.1").await();
      try {
        Loop baseline = loop(vertx, bare.actualPort(), devices, connections, warmupSeconds, seconds);
        r.put("bare_endpoint_answers_per_s", Scenarios.round(baseline.perSecond));
        r.put("pushed_share_of_bare", Scenarios.round(((Number) r.get("pushed_events_per_s")).doubleValue()
            / Math.max(1, baseline.perSecond)));
      } finally {
        bare.close().await();
      }
    } finally {
      vertx.close().await();
    }
    r.put("note", "closed loop over keep-alive connections; the gateway answers 200 after the commit; the bare endpoint "
        + "runs in the harness JVM beside the client");
    return r;
  }

  private record Loop(double perSecond, long answered, long failures) {}

  /**
   * Every connection posts its next event when the last one is answered. The warm-up starts with the
   * first answer (a cold JVM on a loaded box may take seconds for it); counted after the warm-up.
   */
  private static Loop loop(Vertx vertx, int port, int devices, int connections, int warmupSeconds, int seconds)
      throws InterruptedException {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultPort(port)
        .setDefaultHost("127.0.0.1"), new PoolOptions().setHttp1MaxSize(connections));
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    for (int c = 0; c < connections; c++) {
      post(client, c % devices, devices, c, ok, failed, running);
    }
    long firstDeadline = System.nanoTime() + 60_000_000_000L;
    while (ok.get() == 0 && failed.get() == 0 && System.nanoTime() < firstDeadline) {
      Pause.millis(10);
    }
    Pause.millis(warmupSeconds * 1000L);
    long ok0 = ok.get();
    long t0 = System.nanoTime();
    Pause.millis(seconds * 1000L);
    double perSecond = (ok.get() - ok0) / ((System.nanoTime() - t0) / 1e9);
    long failures = failed.get(); // before the close, which fails what is still in flight
    long answered = ok.get();
    running.set(false);
    client.close().await();
    return new Loop(perSecond, answered, failures);
  }

  private static void post(HttpClient client, int device, int devices, long n, AtomicLong ok, AtomicLong failed,
      AtomicBoolean running) {
    if (!running.get()) {
      return;
    }
    Buffer body = Buffer.buffer(EVENT.formatted(n + 1, 1 + n % 4), StandardCharsets.UTF_8.name());
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/push/" + id(device))
            .putHeader("Content-Type", "application/xml"))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(done -> {
          if (done.succeeded() && done.result() == 200) {
            ok.incrementAndGet();
          } else {
            failed.incrementAndGet();
          }
          post(client, (device + 1) % devices, devices, n + 1, ok, failed, running);
        });
  }

  private static String id(int i) {
    return String.format("cam-%04d", i);
  }

  private String yaml(Path data, int port, int cityPort, int devices) {
    StringBuilder y = new StringBuilder()
        .append("gatewayId: ").append(GatewayConfigWriter.GATEWAY_ID).append('\n')
        .append("dataDir: '").append(data).append("'\n")
        .append("profilesDir: '").append(profiles).append("'\n")
        .append("httpPush: {enabled: true, host: 127.0.0.1, port: ").append(port)
        .append(", maxRequests: 4096, maxRequestsPerDevice: 64}\n")
        .append("uplink: {brokerUrl: 'tcp://127.0.0.1:").append(cityPort).append("', ackMode: broker}\n")
        .append("devices:\n");
    for (int i = 0; i < devices; i++) {
      y.append("  - {id: ").append(id(i)).append(", profile: hikvision-isapi-camera, httpPush: {path: /push/")
          .append(id(i)).append("}}\n");
    }
    return y.toString();
  }
}
