package io.commguard.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertType;
import io.commguard.gateway.Gateway;
import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.digest.DigestMath;
import io.commguard.gateway.e2e.PushSimulator.Raw;
import io.commguard.gateway.e2e.PushSimulator.Reply;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.receiver.CityReceiver;
import io.commguard.gateway.security.DigestHash;
import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.MqttProbe;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cameras and access controllers pushing over HTTP, end to end with real parts: a push simulator
 * (HTTP client and raw sockets) → the gateway's push listener → decode, rules, SQLite outbox →
 * uplink to a Mosquitto city broker, where the reference receiver decodes and acknowledges and
 * Debian's protoc decodes a raw batch. One gateway for the whole class.
 */
class HttpPushEndToEndIT {
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"));
  private static final int BURST_DEVICES = 50;

  @TempDir static Path dir;
  private static MosquittoBroker city;
  private static Gateway gateway;
  private static CityReceiver receiver;
  private static MqttProbe raw;
  private static PushSimulator device;
  private static final List<Alert> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    city = MosquittoBroker.start(dir);
    int port = FreePort.next();
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < BURST_DEVICES; i++) {
      burst.append("  - {id: burst-%02d, profile: hikvision-isapi-camera, httpPush: {path: /push/burst-%02d}}\n".formatted(i, i));
    }
    String yaml = """
        gatewayId: gw-push
        dataDir: '%s'
        profilesDir: '%s'
        evidence: {pictures: keep}
        httpPush: {enabled: true, port: %d, maxBodyBytes: 6291456}
        devices:
          - {id: cam-1, profile: hikvision-isapi-camera, site: {communityCode: '310115001'}, httpPush: {path: /push/cam-1}}
          - {id: cam-pic, profile: hikvision-isapi-camera, httpPush: {path: /push/cam-pic}}
          - {id: cam-raw, profile: hikvision-isapi-camera, httpPush: {path: /push/cam-raw}}
          - {id: door-1, profile: hikvision-access-controller, httpPush: {address: 127.0.0.1, path: /push/door-1}}
          - {id: dahua-1, profile: dahua-ipc-event-stream, httpPush: {path: /cgi/dahua-1}}
          - {id: cam-basic, profile: hikvision-isapi-camera, passwordHash: '%s', httpPush: {path: /push/cam-basic, auth: basic}}
          - {id: cam-digest, profile: hikvision-isapi-camera, httpPush: {path: /push/cam-digest, auth: digest, digestHash: '%s'}}
        %suplink:
          brokerUrl: %s
          ackMode: platform
        """.formatted(dir.resolve("data"), PROFILES, port, PasswordHash.hash("basic-pass".toCharArray(), 10_000),
        DigestHash.of(false, "cam-digest", "commguard", "digest-pass".toCharArray()), burst, city.url());
    var config = ConfigLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "push.yaml");
    raw = new MqttProbe(city.url(), "raw-capture").subscribe("city/+/alerts");
    receiver = new CityReceiver(CityReceiver.Options.of(city.url(), dir.resolve("received.jsonl")), received::add);
    receiver.start();
    gateway = Gateway.start(GatewayPlan.of(config, "push.yaml"), Clock.systemUTC());
    device = new PushSimulator(port);
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (raw != null) {
      raw.close();
    }
    city.stop();
  }

  @Test
  void xmlPush_isAnsweredOnlyOnceCommitted_andReachesTheCity() throws Exception {
    Reply reply = device.post("/push/cam-1", "application/xml; charset=\"UTF-8\"",
        caseFile("hikvision/isapi-camera/cases/xml-field-detection-active/payload.xml"));

    assertThat(reply.status()).isEqualTo(200);
    // Ingest counts a message acknowledged before it completes: by the 200, the commit is done.
    assertThat(counters().get("acknowledged", "cam-1", null)).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received)
        .anySatisfy(a -> {
          assertThat(a.getDevice().getDeviceId()).isEqualTo("cam-1");
          assertThat(a.getType()).isEqualTo(AlertType.PERIMETER_INTRUSION);
          assertThat(a.getSite().getCommunityCode()).isEqualTo("310115001");
        }));
  }

  @Test
  void multipartWithPictures_sceneKeptAndReferenced_faceDropped_protocDecodesTheReference() throws Exception {
    byte[] picture = PushSimulator.jpeg(3 * 1024 * 1024);
    byte[] camera = PushSimulator.multipart("MIME_boundary",
        "Content-Disposition: form-data; name=\"fielddetection\"\r\nContent-Type: application/xml",
        caseFile("hikvision/isapi-camera/cases/xml-field-detection-active/payload.xml"),
        "Content-Disposition: form-data; name=\"detectionPicture\"; filename=\"detectionPicture.jpg\"\r\nContent-Type: image/jpeg",
        picture);
    byte[] door = PushSimulator.multipart("---------------------------7e13971310878",
        "Content-Disposition: form-data; name=\"event_log\"",
        caseFile("hikvision/access-controller/cases/door-forced/payload.json"),
        "Content-Disposition: form-data; name=\"Picture\"; filename=\"Picture.jpg\"", PushSimulator.jpeg(40_000));

    assertThat(device.post("/push/cam-2-not-configured", "multipart/form-data; boundary=MIME_boundary", camera).status())
        .isEqualTo(403);
    Reply cam = device.post("/push/cam-pic", "multipart/form-data; boundary=MIME_boundary", camera);
    Reply access = device.post("/push/door-1", "multipart/form-data; boundary=---------------------------7e13971310878", door);

    assertThat(cam.status()).isEqualTo(200);
    assertThat(access.status()).isEqualTo(200);
    assertThat(counters().get("pictures_kept", "cam-pic", null)).isEqualTo(1);
    assertThat(counters().get("pictures_dropped", "door-1", "face")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received)
        .anySatisfy(a -> assertThat(a.getType()).isEqualTo(AlertType.DOOR_FORCED))
        .anySatisfy(a -> assertThat(a.getEvidenceList()).anySatisfy(e -> assertThat(e.getRef()).startsWith("evidence:"))));
    String ref = received.stream().flatMap(a -> a.getEvidenceList().stream()).map(e -> e.getRef())
        .filter(r -> r.startsWith("evidence:")).findFirst().orElseThrow();
    Path kept = dir.resolve("data/evidence").resolve(ref.substring("evidence:".length()));
    assertThat(Files.readAllBytes(kept)).isEqualTo(picture);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rw-------");
    assertThat(received).filteredOn(a -> a.getType() == AlertType.DOOR_FORCED)
        .allSatisfy(a -> assertThat(a.getEvidenceList()).noneSatisfy(e -> assertThat(e.getRef()).startsWith("evidence:")));

    await().atMost(Duration.ofSeconds(20)).until(() -> raw.messages().stream()
        .anyMatch(m -> new String(m, StandardCharsets.ISO_8859_1).contains(ref)));
    byte[] batch = raw.messages().stream().filter(m -> new String(m, StandardCharsets.ISO_8859_1).contains(ref))
        .findFirst().orElseThrow();
    assertThat(protocDecode(batch)).contains("ref: \"" + ref + "\"", "kind: \"image\"", "type: PERIMETER_INTRUSION");
  }

  @Test
  void rawSockets_chunkedMultipartSplitAnywhere_keepAlive_thenOversizedAndMalformed() throws Exception {
    byte[] dahua = PushSimulator.multipart("myboundary", "Content-Type: text/plain",
        caseFile("dahua/ipc-event-stream/cases/crossline-start/payload.txt"));
    try (Raw socket = device.new Raw()) {
      // Cuts inside the first delimiter, inside the part header and inside the event.
      assertThat(socket.chunked("/cgi/dahua-1", null, dahua, 5, 17, 40, 1).read().status()).isEqualTo(200);
      byte[] xml = caseFile("hikvision/isapi-camera/cases/xml-field-detection-repost/payload.xml");
      assertThat(socket.chunked("/push/cam-raw", "text/xml", xml, 100).read().status()).as("same connection").isEqualTo(200);
      assertThat(socket.chunked("/push/cam-raw", "text/xml", "<EventNotificationAlert><eventType>".getBytes()).read()
          .status()).isEqualTo(400);
    }
    assertThat(counters().get("rejected", "cam-raw", "malformed_xml")).isEqualTo(1);
    assertThat(counters().get("acknowledged", "dahua-1", null)).isEqualTo(1);

    try (Raw socket = device.new Raw()) {
      socket.write(("POST /push/cam-raw HTTP/1.1\r\nHost: gateway\r\nContent-Type: image/jpeg\r\nContent-Length: 7000000\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      assertThat(socket.read().status()).as("declared too large").isEqualTo(413);
      assertThat(socket.closedByPeer()).isTrue();
    }
    try (Raw socket = device.new Raw()) {
      Reply reply = socket.chunked("/push/cam-raw", "multipart/form-data; boundary=b", PushSimulator.jpeg(6291456 + 10), 6291456)
          .read();
      assertThat(reply.status()).as("chunked past the limit").isEqualTo(413);
    }
    assertThat(counters().get("rejected", "cam-raw", "oversized_payload")).isEqualTo(2);
  }

  @Test
  void credentials_basicAndDigest_challengeThenAccept() throws Exception {
    byte[] xml = caseFile("hikvision/isapi-camera/cases/xml-videoloss-heartbeat/payload.xml");
    Reply challenge = device.post("/push/cam-basic", "application/xml", xml);
    assertThat(challenge.status()).isEqualTo(401);
    assertThat(challenge.headers().get("www-authenticate")).startsWith("Basic realm=\"commguard\"");
    assertThat(device.post("/push/cam-basic", "application/xml", xml, "Authorization", basic("cam-basic", "wrong-pass"))
        .status()).isEqualTo(401);
    assertThat(device.post("/push/cam-basic", "application/xml", xml, "Authorization", basic("cam-basic", "basic-pass"))
        .status()).isEqualTo(200);

    Reply digest = device.post("/push/cam-digest", "application/xml", xml);
    assertThat(digest.status()).isEqualTo(401);
    Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(digest.headers().get("www-authenticate"));
    assertThat(nonce.find()).isTrue();
    String response = DigestMath.response("MD5", DigestMath.ha1("MD5", "cam-digest", "commguard", "digest-pass"),
        nonce.group(1), "00000001", "c0ffee", "auth", DigestMath.ha2("MD5", "POST", "/push/cam-digest"));
    String header = "Digest username=\"cam-digest\", realm=\"commguard\", nonce=\"" + nonce.group(1)
        + "\", uri=\"/push/cam-digest\", qop=auth, nc=00000001, cnonce=\"c0ffee\", response=\"" + response + "\"";
    assertThat(device.post("/push/cam-digest", "application/xml", xml, "Authorization", header).status()).isEqualTo(200);
    assertThat(counters().get("push_requests_refused", "cam-basic", "bad_credentials")).isEqualTo(1);
  }

  @Test
  void fiftyDevicesBurstingAtOnce_allAnswered200_everyEventCommitted() throws Exception {
    byte[] xml = caseFile("hikvision/isapi-camera/cases/xml-field-detection-active/payload.xml");
    List<CompletableFuture<Reply>> replies = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < BURST_DEVICES; i++) {
        replies.add(device.postAsync("/push/burst-%02d".formatted(i), "application/xml", xml));
      }
    }
    CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    assertThat(replies).allSatisfy(r -> assertThat(r.join().status()).isEqualTo(200));
    long acknowledged = 0;
    for (int i = 0; i < BURST_DEVICES; i++) {
      acknowledged += counters().get("acknowledged", "burst-%02d".formatted(i), null);
    }
    assertThat(acknowledged).isEqualTo(3L * BURST_DEVICES);
  }

  private static Counters counters() {
    return gateway.counters();
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] caseFile(String path) throws Exception {
    return Files.readAllBytes(PROFILES.resolve(path));
  }

  private static String protocDecode(byte[] batch) throws Exception {
    Path protoDir = Path.of(System.getProperty("proto.dir", "src/main/proto"));
    Path bytes = Files.createTempFile(dir, "batch", ".bin");
    Files.write(bytes, batch);
    Process protoc = new ProcessBuilder("protoc", "--decode=commguard.alert.v1.AlertBatch", "--proto_path=" + protoDir,
        "commguard/alert/v1/alert.proto").redirectInput(bytes.toFile()).redirectErrorStream(true).start();
    assertThat(protoc.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String text = new String(protoc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(protoc.exitValue()).as(text).isZero();
    return text;
  }
}
