package io.commguard.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.GatewayStatus;
import io.commguard.alert.v1.UplinkStatus;
import io.commguard.gateway.receiver.CityReceiver;
import io.commguard.gateway.testsupport.Protoc;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.MqttProbe;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway's heartbeat and its admin reload, against a real city broker and the
 * reference receiver holding the uplink HMAC key: a signed {@code GatewayStatus} every second
 * (decoded by {@code protoc} from the .proto alone), another at once when {@code POST /reload}
 * adds a device, a refused reload naming every problem with the running config kept, and the
 * receiver showing the gateway as silent once it stops.
 */
class HeartbeatAndReloadIT {
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"));
  private static final String TOKEN = "heartbeat-it-token-0123456789";
  private static final Duration QUICK = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private String admin;

  @Test
  void statusDecodedByProtoc_reloadAppliedOrRefused_silenceShown() throws Exception {
    Path key = dir.resolve("uplink-hmac.key");
    Files.write(key, "heartbeat-it-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    try (MosquittoBroker site = MosquittoBroker.start(dir); MosquittoBroker city = MosquittoBroker.start(dir)) {
      int adminPort = FreePort.next();
      admin = "http://127.0.0.1:" + adminPort;
      Path token = Files.writeString(dir.resolve("admin.token"), TOKEN);
      String configText = """
          gatewayId: gw-heartbeat
          dataDir: '%s'
          profilesDir: '%s'
          externalBroker: {url: '%s', topics: ['site/{deviceId}/event']}
          devices:
            - {id: gas-1, profile: generic-nbiot-gas-detector}
            - {id: gas-2, profile: generic-nbiot-gas-detector}
          uplink: {brokerUrl: '%s', ackMode: platform, statusIntervalMs: 1000, hmacKeyFile: '%s'}
          admin: {enabled: true, port: %d, tokenFile: '%s'}
          """.formatted(dir.resolve("data"), PROFILES, site.url(), city.url(), key, adminPort, token);
      Path config = Files.writeString(dir.resolve("gateway.yaml"), configText);
      List<String> silent = new CopyOnWriteArrayList<>();
      CityReceiver receiver = new CityReceiver(new CityReceiver.Options(city.url(), null, null, null, null, null,
          dir.resolve("received.db"), null, null, null, List.of("gw-heartbeat=" + key), null, 3), a -> {},
          new CityReceiver.GatewayListener() {
            @Override
            public void silent(String gatewayId, long silentForMs, long intervalMs) {
              silent.add(gatewayId);
            }
          });
      MqttProbe raw = new MqttProbe(city.url(), "raw-status").subscribe("city/+/status");
      GatewayProcess gateway = new GatewayProcess(config);
      try {
        receiver.start();
        gateway.start().awaitReady(Duration.ofSeconds(60));

        await().atMost(QUICK).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
            assertThat(receiver.lastStatuses()).containsKey("gw-heartbeat"));
        String decoded = protocDecode(raw.messages().get(raw.messages().size() - 1));
        assertThat(decoded.replaceAll("\\s+", " "))
            .contains("gateway_id: \"gw-heartbeat\"", "status_version: 1", "gateway_version: \"0.1.0\"",
                "interval_ms: 1000", "outbox { priority: 1", "devices { state: \"enabled\" count: 2 }",
                "sources { name: \"mqtt\" up: true devices: 2 }", "hmac_key_id: \"")
            .containsPattern("uptime_ms: \\d+").containsPattern("disk_free_bytes: [1-9]\\d*")
            .containsPattern("uplink: (DELIVERING|NOT_DELIVERING)");
        await().atMost(QUICK).pollInterval(Duration.ofMillis(100)).until(() ->
            receiver.lastStatuses().get("gw-heartbeat").getUplink() == UplinkStatus.DELIVERING);
        assertThat(receiver.stats().refused()).allSatisfy((reason, n) -> assertThat(n).as(reason).isZero());

        // Reload through the admin API: admin token required; a valid file applies its devices.
        assertThat(post("/reload", null).statusCode()).isEqualTo(401);
        Files.writeString(config, configText.replace("  - {id: gas-2, profile: generic-nbiot-gas-detector}\n",
            "  - {id: gas-2, profile: generic-nbiot-gas-detector}\n  - {id: gas-3, profile: generic-nbiot-gas-detector}\n"));
        HttpResponse<String> applied = post("/api/v1/reload", TOKEN);
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        JsonObject body = new JsonObject(applied.body());
        assertThat(body.getJsonObject("devices").getJsonArray("added").getList()).containsExactly("gas-3");
        assertThat(body.getJsonArray("needsRestart").getList()).isEmpty();
        await().atMost(QUICK).pollInterval(Duration.ofMillis(100)).until(() ->
            enabled(receiver.lastStatuses().get("gw-heartbeat")) == 3);

        // An invalid file: every problem, nothing applied.
        Files.writeString(config, configText.replace("profile: generic-nbiot-gas-detector}\n  - {id: gas-2",
            "profile: no-such-profile}\n  - {id: gas-2").replace("statusIntervalMs: 1000", "statusIntervalMs: 5"));
        HttpResponse<String> refused = post("/reload", TOKEN);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("devices[0].profile", "uplink.statusIntervalMs");
        HttpResponse<String> refusedV1 = post("/api/v1/reload", TOKEN);
        assertThat(new JsonObject(refusedV1.body()).getJsonArray("problems")).hasSizeGreaterThanOrEqualTo(2);
        long before = receiver.lastStatuses().get("gw-heartbeat").getSentAtMs();
        await().atMost(QUICK).pollInterval(Duration.ofMillis(100)).until(() ->
            receiver.lastStatuses().get("gw-heartbeat").getSentAtMs() > before);
        assertThat(enabled(receiver.lastStatuses().get("gw-heartbeat"))).isEqualTo(3);

        // A stopped gateway falls silent: shown after three of its one-second intervals.
        assertThat(receiver.silentGateways()).isEmpty();
        gateway.stop();
        await().atMost(QUICK).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
          assertThat(receiver.silentGateways()).containsExactly("gw-heartbeat");
          assertThat(silent).containsExactly("gw-heartbeat");
        });
      } finally {
        gateway.close();
        receiver.close();
        raw.close();
      }
    }
  }

  private static int enabled(GatewayStatus status) {
    return status.getDevicesList().stream().filter(d -> d.getState().equals("enabled")).mapToInt(d -> d.getCount())
        .sum();
  }

  private HttpResponse<String> post(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin + path)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String protocDecode(byte[] status) throws Exception {
    return Protoc.decode("GatewayStatus", status, dir);
  }
}
