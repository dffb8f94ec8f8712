package io.commguard.gateway.source.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertBatch;
import io.commguard.gateway.Gateway;
import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.source.stream.CameraSimulator.Camera;
import io.commguard.gateway.source.stream.CameraSimulator.Events;
import io.commguard.gateway.source.stream.StreamDeviceConfig.Kind;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.MqttProbe;
import io.commguard.gateway.testsupport.Protoc;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated Hikvision and Dahua cameras → the gateway's stream source → a city broker, the alerts
 * read back from the uplink's bytes (by protoc for the contract check), pictures kept in the evidence
 * store and read back over the admin API. One simulator, one gateway and one broker serve every
 * test; each test uses its own cameras. Heartbeats every second and a
 * stream silent for three of them is dropped, so failures show within seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStreamIT {
  private static final int FLEET = 50;
  private static final String TOKEN = "stream-admin-token-0123456789abcdef";

  @TempDir static Path dir;
  private Vertx vertx;
  private CameraSimulator sim;
  private MosquittoBroker city;
  private MqttProbe raw;
  private Gateway gateway;
  private Camera hik;
  private Camera dahua;
  private Camera silent;
  private Camera junk;
  private Camera pic;
  private String admin;
  private final List<Camera> fleet = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    sim = new CameraSimulator(vertx);
    hik = sim.add("cam-hik", Kind.HIKVISION, "MD5");
    dahua = sim.add("cam-dahua", Kind.DAHUA, "SHA-256");
    silent = sim.add("cam-silent", Kind.HIKVISION, "MD5");
    junk = sim.add("cam-junk", Kind.DAHUA, "MD5");
    pic = sim.add("cam-pic", Kind.HIKVISION, "MD5");
    IntStream.range(0, FLEET).forEach(i -> fleet.add(sim.add("cam-" + i, i % 2 == 0 ? Kind.HIKVISION : Kind.DAHUA, "MD5")));
    city = MosquittoBroker.start(dir);
    raw = new MqttProbe(city.url(), "city-capture").subscribe("city/+/alerts");
    Path secret = dir.resolve("camera.password");
    Files.writeString(secret, CameraSimulator.PASSWORD + "\n");
    StringBuilder devices = new StringBuilder();
    for (Camera c : allCameras()) {
      String profile = c.kind == Kind.HIKVISION ? "hikvision-isapi-camera" : "dahua-ipc-event-stream";
      devices.append("  - {id: ").append(c.id).append(", profile: ").append(profile).append(", stream: {url: '")
          .append(c.url()).append("', kind: ").append(c.kind).append(", user: ").append(CameraSimulator.USER)
          .append(", passwordFile: '").append(secret).append("'}}\n");
    }
    int adminPort = FreePort.next();
    admin = "http://127.0.0.1:" + adminPort;
    Path token = Files.writeString(dir.resolve("admin.token"), TOKEN);
    String yaml = """
        gatewayId: gw-streams
        dataDir: '%s'
        eventStreams: {heartbeatSeconds: 1, silentAfterHeartbeats: 6, minBackoffMs: 200, maxBackoffMs: 1000,
                       offlineAfterFailures: 2, connectTimeoutMs: 5000, maxPartBytes: 65536}
        evidence: {pictures: keep}
        admin: {enabled: true, port: %d, tokenFile: '%s'}
        uplink: {brokerUrl: %s, ackMode: broker, batchMaxDelayMs: 50}
        devices:
        %s""".formatted(dir.resolve("data"), adminPort, token, city.url(), devices);
    var config = ConfigLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "streams.yaml");
    gateway = Gateway.start(GatewayPlan.of(config, "streams.yaml"), Clock.systemUTC());
    await().atMost(Duration.ofSeconds(20)).until(() -> allCameras().stream().allMatch(c -> !c.open.isEmpty()));
  }

  private List<Camera> allCameras() {
    List<Camera> all = new ArrayList<>(List.of(hik, dahua, silent, junk, pic));
    all.addAll(fleet);
    return all;
  }

  @AfterAll
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    raw.close();
    city.stop();
    sim.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Counters counters() {
    return gateway.counters();
  }

  @Test
  void hikvisionEvent_writtenByteByByteAfterAMultiMegabytePictureOfNoEvent_reachesTheCity_decodedByProtoc()
      throws Exception {
    hik.part("image/jpeg", Events.picture(3 << 20));
    hik.byteByByte = true;
    hik.part("application/xml; charset=\"UTF-8\"", Events.hikvision("fielddetection", "active", 4).getBytes(StandardCharsets.UTF_8));

    Alert alert = awaitAlert("cam-hik", "PERIMETER_INTRUSION");
    assertThat(alert.getNativeCode()).isEqualTo("fielddetection");
    assertThat(counters().get("pictures_dropped", "cam-hik", "no_event")).isEqualTo(1);
    assertThat(hik.refusals.get()).as("no answer to a challenge was wrong").isZero();
    String text = Protoc.decode("AlertBatch", batchWith("cam-hik", "PERIMETER_INTRUSION"), dir);
    assertThat(text).contains("device_id: \"cam-hik\"", "type: PERIMETER_INTRUSION", "state: RAISED",
        "native_code: \"fielddetection\"", "key: \"channel\"");
  }

  @Test
  void hikvisionEventAndItsPicture_pictureKeptAndReferencedInTheAlert_decodedByProtoc_servedOnlyToAdmins()
      throws Exception {
    byte[] picture = Events.picture(300_000);
    // One write: a heartbeat cannot come between the event and its picture, as on a real camera.
    pic.write(pic.encode("application/xml; charset=\"UTF-8\"", Events.hikvision("linedetection", "active", 2)
        .getBytes(StandardCharsets.UTF_8)).appendBuffer(pic.encode("image/jpeg", picture)));

    Alert alert = awaitAlert("cam-pic", "PERIMETER_INTRUSION");
    String ref = alert.getEvidenceList().stream().map(e -> e.getRef()).filter(r -> r.startsWith("evidence:"))
        .findFirst().orElseThrow();
    assertThat(counters().get("pictures_kept", "cam-pic", null)).isEqualTo(1);
    String text = Protoc.decode("AlertBatch", batchWith("cam-pic", "PERIMETER_INTRUSION"), dir);
    assertThat(text).contains("device_id: \"cam-pic\"", "ref: \"" + ref + "\"", "kind: \"image\"");

    HttpResponse<byte[]> asAdmin = evidence(ref, TOKEN);
    assertThat(asAdmin.statusCode()).isEqualTo(200);
    assertThat(asAdmin.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    assertThat(asAdmin.body()).isEqualTo(picture);
    assertThat(evidence(ref, null).statusCode()).isEqualTo(401);
    assertThat(evidence(ref, "not-the-token-0123456789").statusCode()).isEqualTo(401);
  }

  private HttpResponse<byte[]> evidence(String ref, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin + "/api/v1/evidence/" + ref)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void dahuaStream_afterAReconnectWithAStaleNonce_renewsItWithSha256_andDecodesTheRecord() throws Exception {
    int before = dahua.streams.get();
    dahua.expireNonces();
    dahua.drop();
    await().atMost(Duration.ofSeconds(10)).until(() -> dahua.streams.get() > before);
    assertThat(dahua.staleAnswers.get()).as("the cached nonce was answered, found stale").isPositive();
    assertThat(dahua.refusals.get()).isZero();
    assertThat(counters().get("stream_nonce_renewals", "cam-dahua", null)).isPositive();

    dahua.part("text/plain", Events.dahua("CrossLineDetection", "Start", 2).getBytes(StandardCharsets.UTF_8));
    Alert alert = awaitAlert("cam-dahua", "PERIMETER_INTRUSION");
    assertThat(alert.getNativeCode()).isEqualTo("CrossLineDetection");
    assertThat(counters().get("stream_heartbeats", "cam-dahua", null)).isPositive();
  }

  @Test
  void silentStream_isDroppedAndReportedOffline_thenClearedWhenItSpeaksAgain() throws Exception {
    silent.silent = true;
    await().atMost(Duration.ofSeconds(30)).until(() -> counters().get("stream_failures", "cam-silent", "silent") >= 1);
    Alert offline = awaitAlert("cam-silent", "DEVICE_OFFLINE");
    assertThat(offline.getState().name()).isEqualTo("RAISED");
    // Every other camera kept its stream meanwhile.
    assertThat(counters().get("stream_failures", "cam-hik", "silent")).isZero();

    silent.silent = false;
    await().atMost(Duration.ofSeconds(20)).until(() -> alerts("cam-silent", "DEVICE_OFFLINE").stream()
        .anyMatch(a -> a.getState().name().equals("CLEARED")));
  }

  @Test
  void malformedAndOversizedParts_areCountedAndSkipped_andTheNextEventStillArrives() throws Exception {
    junk.write(Buffer.buffer("--myboundary\r\nX-Junk: " + "y".repeat(9000) + "\r\n\r\nbody\r\n"));
    junk.part("text/plain", ("Code=VideoMotion;action=Start;index=0;data=" + "z".repeat(70_000)).getBytes(StandardCharsets.UTF_8));
    junk.part("text/plain", "Code=VideoMotion;action=Start;index=0;garbage".getBytes(StandardCharsets.UTF_8));
    junk.part("text/plain", Events.dahua("CrossRegionDetection", "Start", 5).getBytes(StandardCharsets.UTF_8));

    awaitAlert("cam-junk", "PERIMETER_INTRUSION");
    assertThat(counters().get("rejected", "cam-junk", "malformed_part")).isEqualTo(1);
    assertThat(counters().get("rejected", "cam-junk", "oversized_payload")).isEqualTo(1);
    assertThat(counters().get("stream_failures", "cam-junk", "closed_by_device")).isZero();
  }

  @Test
  void fiftyCamerasAtOnce_eachAlertReachesTheCity() {
    await().atMost(Duration.ofSeconds(30)).until(() -> fleet.stream().allMatch(c -> !c.open.isEmpty()));
    for (int i = 0; i < FLEET; i++) {
      Camera c = fleet.get(i);
      byte[] event = (c.kind == Kind.HIKVISION ? Events.hikvision("linedetection", "active", 1)
          : Events.dahua("CrossLineDetection", "Start", 1)).getBytes(StandardCharsets.UTF_8);
      c.part(c.kind == Kind.HIKVISION ? "application/xml" : "text/plain", event);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> fleet.stream()
        .allMatch(c -> !alerts(c.id, "PERIMETER_INTRUSION").isEmpty()));
  }

  private Alert awaitAlert(String device, String type) {
    await().atMost(Duration.ofSeconds(40)).until(() -> !alerts(device, type).isEmpty());
    return alerts(device, type).get(0);
  }

  private List<Alert> alerts(String device, String type) {
    List<Alert> out = new ArrayList<>();
    for (AlertBatch batch : batches()) {
      batch.getAlertsList().stream().filter(a -> a.getDevice().getDeviceId().equals(device) && a.getType().name().equals(type))
          .forEach(out::add);
    }
    return out;
  }

  private byte[] batchWith(String device, String type) {
    for (byte[] bytes : List.copyOf(raw.messages())) {
      if (parse(bytes).getAlertsList().stream().anyMatch(a -> a.getDevice().getDeviceId().equals(device)
          && a.getType().name().equals(type))) {
        return bytes;
      }
    }
    throw new AssertionError("no batch with " + device + " " + type);
  }

  private List<AlertBatch> batches() {
    return List.copyOf(raw.messages()).stream().map(EventStreamIT::parse).toList();
  }

  private static AlertBatch parse(byte[] bytes) {
    try {
      return AlertBatch.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
