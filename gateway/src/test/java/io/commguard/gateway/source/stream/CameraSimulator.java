package io.commguard.gateway.source.stream;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cameras on one loopback HTTP server, one per path prefix ({@code /<device>/...}), speaking the
 * vendors' event streams as their firmware does: a digest challenge (MD5 or SHA-256, qop=auth,
 * {@code stale=true} for an expired nonce), then an endless chunked multipart response —
 * Hikvision {@code multipart/mixed; boundary=boundary} with XML parts and JPEG pictures and
 * {@code videoloss} keep-alives, Dahua {@code multipart/x-mixed-replace; boundary=myboundary} with
 * {@code Code=...} records and {@code Heartbeat} parts. Tests write parts whole or byte by byte,
 * fall silent, drop connections and count what happened.
 */
final class CameraSimulator implements AutoCloseable {
  static final String USER = "gateway";
  static final String PASSWORD = "Cam3ra-secret!";
  static final String REALM = "IP Camera(C6271)";

  /** One simulated device. */
  final class Camera {
    final String id;
    final StreamDeviceConfig.Kind kind;
    final String algorithm;
    final List<HttpServerRequest> open = new CopyOnWriteArrayList<>();
    final AtomicInteger streams = new AtomicInteger();
    final AtomicInteger challenges = new AtomicInteger();
    final AtomicInteger staleAnswers = new AtomicInteger();
    final AtomicInteger refusals = new AtomicInteger();
    final Set<String> nonces = ConcurrentHashMap.newKeySet();
    volatile boolean silent;
    volatile boolean byteByByte;
    volatile String password = PASSWORD;

    Camera(String id, StreamDeviceConfig.Kind kind, String algorithm) {
      this.id = id;
      this.kind = kind;
      this.algorithm = algorithm;
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort() + "/" + id
          + (kind == StreamDeviceConfig.Kind.HIKVISION ? "/ISAPI/Event/notification/alertStream"
          : "/cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=1");
    }

    String boundary() {
      return kind == StreamDeviceConfig.Kind.HIKVISION ? "boundary" : "myboundary";
    }

    /** Writes one part to every open stream. */
    void part(String contentType, byte[] body) {
      write(encode(contentType, body));
    }

    /** One part as the camera writes it. */
    Buffer encode(String contentType, byte[] body) {
      return Buffer.buffer("--" + boundary() + "\r\nContent-Type: " + contentType + "\r\nContent-Length: "
          + body.length + "\r\n\r\n").appendBytes(body).appendString("\r\n");
    }

    /** Writes raw bytes to every open stream. */
    void write(Buffer b) {
      boolean single = byteByByte;
      vertx.runOnContext(v -> {
        for (HttpServerRequest request : open) {
          HttpServerResponse r = request.response();
          if (single) {
            for (int i = 0; i < b.length(); i++) {
              r.write(b.getBuffer(i, i + 1));
            }
          } else {
            r.write(b);
          }
        }
      });
    }

    /** Forgets its nonces: the next answer to an old one is {@code 401 stale=true}. */
    void expireNonces() {
      nonces.clear();
    }

    /** Closes every open stream (a camera reboot or network cut). */
    void drop() {
      vertx.runOnContext(v -> open.forEach(r -> r.connection().close()));
    }
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final Map<String, Camera> cameras = new ConcurrentHashMap<>();
  private final long heartbeatTimer;

  CameraSimulator(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get();
    this.heartbeatTimer = vertx.setPeriodic(1000, t -> heartbeats());
  }

  Camera add(String id, StreamDeviceConfig.Kind kind, String algorithm) {
    Camera c = new Camera(id, kind, algorithm);
    cameras.put(id, c);
    return c;
  }

  private void heartbeats() {
    for (Camera c : cameras.values()) {
      if (!c.silent && !c.open.isEmpty()) {
        if (c.kind == StreamDeviceConfig.Kind.DAHUA) {
          c.part("text/plain", "Heartbeat".getBytes(StandardCharsets.US_ASCII));
        } else {
          c.part("application/xml; charset=\"UTF-8\"", Events.hikvision("videoloss", "inactive", 1).getBytes(StandardCharsets.UTF_8));
        }
      }
    }
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    int slash = path.indexOf('/', 1);
    Camera c = slash < 0 ? null : cameras.get(path.substring(1, slash));
    if (c == null) {
      request.response().setStatusCode(404).end();
      return;
    }
    String authorization = request.getHeader("Authorization");
    if (authorization == null) {
      challenge(c, request, false);
      return;
    }
    Map<String, String> p = DigestAuth.challenges(authorization).get(0).getValue();
    if (!p.getOrDefault("uri", "").equals(request.uri()) || !valid(c, p, request.method().name())) {
      c.refusals.incrementAndGet();
      challenge(c, request, false);
      return;
    }
    if (!c.nonces.contains(p.get("nonce"))) {
      c.staleAnswers.incrementAndGet();
      challenge(c, request, true);
      return;
    }
    HttpServerResponse r = request.response().setChunked(true).putHeader("Content-Type",
        c.kind == StreamDeviceConfig.Kind.HIKVISION ? "multipart/mixed; boundary=boundary"
            : "multipart/x-mixed-replace; boundary=myboundary");
    c.open.add(request);
    c.streams.incrementAndGet();
    r.closeHandler(v -> c.open.remove(request));
    r.exceptionHandler(e -> c.open.remove(request));
    r.write(Buffer.buffer());
  }

  private void challenge(Camera c, HttpServerRequest request, boolean stale) {
    c.challenges.incrementAndGet();
    String nonce = HexFormat.of().formatHex(java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII), 0, 16);
    c.nonces.add(nonce);
    request.response().setStatusCode(401)
        .putHeader("WWW-Authenticate", "Digest qop=\"auth\", realm=\"" + REALM + "\", nonce=\"" + nonce + "\", algorithm="
            + c.algorithm + (stale ? ", stale=\"TRUE\"" : ""))
        .putHeader("Content-Type", "text/html").end("<html>401 Unauthorized</html>");
  }

  /** The server's side of RFC 7616, written out here rather than borrowed from the client. */
  private static boolean valid(Camera c, Map<String, String> p, String method) {
    String hash = c.algorithm.equals("SHA-256") ? "SHA-256" : "MD5";
    if (!USER.equals(p.get("username")) || !c.algorithm.equalsIgnoreCase(p.getOrDefault("algorithm", "MD5"))) {
      return false;
    }
    String ha1 = h(hash, USER + ":" + REALM + ":" + c.password);
    String ha2 = h(hash, method + ":" + p.get("uri"));
    String expected = h(hash, ha1 + ":" + p.get("nonce") + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
    return "auth".equals(p.get("qop")) && expected.equals(p.get("response"));
  }

  private static String h(String algorithm, String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    vertx.cancelTimer(heartbeatTimer);
    server.close().toCompletionStage().toCompletableFuture().get();
  }

  /** The vendors' event payloads. */
  static final class Events {
    private Events() {}

    static String hikvision(String eventType, String state, int region) {
      return "<EventNotificationAlert version=\"2.0\" xmlns=\"http://www.hikvision.com/ver20/XMLSchema\">\r\n"
          + "<ipAddress>192.168.1.64</ipAddress>\r\n<portNo>80</portNo>\r\n<protocol>HTTP</protocol>\r\n"
          + "<macAddress>44:19:b6:6d:24:85</macAddress>\r\n<channelID>1</channelID>\r\n"
          + "<dateTime>2026-11-22T10:20:00+08:00</dateTime>\r\n<activePostCount>1</activePostCount>\r\n"
          + "<eventType>" + eventType + "</eventType>\r\n<eventState>" + state + "</eventState>\r\n"
          + "<eventDescription>" + eventType + " alarm</eventDescription>\r\n"
          + "<DetectionRegionList>\r\n<DetectionRegionEntry>\r\n<regionID>" + region + "</regionID>\r\n"
          + "<detectionTarget>human</detectionTarget>\r\n</DetectionRegionEntry>\r\n</DetectionRegionList>\r\n"
          + "</EventNotificationAlert>\r\n";
    }

    static String dahua(String code, String action, int ruleId) {
      return "Code=" + code + ";action=" + action + ";index=0;data={\n   \"LocaleTime\" : \"2026-11-22 23:41:07\",\n"
          + "   \"Name\" : \"East wall\",\n   \"Object\" : { \"ObjectType\" : \"Human\" },\n   \"RuleID\" : " + ruleId
          + "\n}\r\n";
    }

    /** A JPEG-looking picture of {@code bytes} bytes. */
    static byte[] picture(int bytes) {
      byte[] b = new byte[bytes];
      new java.util.Random(7).nextBytes(b);
      b[0] = (byte) 0xFF;
      b[1] = (byte) 0xD8;
      b[2] = (byte) 0xFF;
      b[3] = (byte) 0xE0;
      b[bytes - 2] = (byte) 0xFF;
      b[bytes - 1] = (byte) 0xD9;
      return b;
    }
  }
}
