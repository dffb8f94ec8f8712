package io.commguard.bench;

import io.commguard.gateway.digest.DigestMath;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cameras whose event streams the gateway holds, every one on one HTTP server in the harness's JVM
 * (one event loop, a path per camera): even ones Hikvision ({@code alertStream}: XML parts,
 * {@code videoloss} keep-alives), odd ones Dahua ({@code eventManager attach}: {@code Code=...}
 * records, {@code Heartbeat} parts). Each asks for HTTP digest (MD5, qop=auth) as the firmware does,
 * sends its keep-alive every {@code heartbeatSeconds} (the cameras' phases spread over the
 * interval) and, while events are on, an event at random about every {@code eventEverySeconds},
 * alternating start and stop of one alarm. One 100 ms tick drives them all.
 */
final class CameraFarm implements AutoCloseable {
  static final String USER = "bench";
  static final String PASSWORD = "bench-camera-secret";
  private static final String REALM = "IP Camera(bench)";
  private static final String NONCE = "6d2f1a0b9c8e7d6f";
  private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]*))");
  private static final int TICK_MS = 100;

  /** One simulated camera. */
  private static final class Camera {
    final String id;
    final boolean hikvision;
    final int phase;
    HttpServerResponse stream;
    boolean active;

    Camera(String id, boolean hikvision, int phase) {
      this.id = id;
      this.hikvision = hikvision;
      this.phase = phase;
    }
  }

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
  private final Map<String, Camera> cameras = new HashMap<>();
  private final List<Camera> all = new ArrayList<>();
  private final int heartbeatTicks;
  private final double eventChancePerTick;
  private final HttpServer server;
  private final long timer;
  private volatile boolean events;
  final AtomicLong streamsOpened = new AtomicLong();
  final AtomicLong eventsSent = new AtomicLong();
  final AtomicLong heartbeatsSent = new AtomicLong();
  final AtomicLong open = new AtomicLong();

  CameraFarm(int count, int heartbeatSeconds, double eventEverySeconds) throws Exception {
    heartbeatTicks = heartbeatSeconds * 1000 / TICK_MS;
    eventChancePerTick = TICK_MS / 1000.0 / eventEverySeconds;
    for (int i = 0; i < count; i++) {
      Camera c = new Camera(String.format("cam-%04d", i), i % 2 == 0, i % heartbeatTicks);
      cameras.put(c.id, c);
      all.add(c);
    }
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await();
    timer = vertx.setPeriodic(TICK_MS, new Ticks()::tick);
  }

  int port() {
    return server.actualPort();
  }

  /** The {@code devices:} entries of the gateway's config for every camera. */
  String devicesYaml(String passwordFile) {
    StringBuilder y = new StringBuilder();
    for (Camera c : all) {
      String path = c.hikvision ? "/ISAPI/Event/notification/alertStream"
          : "/cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=5";
      y.append("  - {id: ").append(c.id).append(", profile: ")
          .append(c.hikvision ? "hikvision-isapi-camera" : "dahua-ipc-event-stream")
          .append(", stream: {url: 'http://127.0.0.1:").append(port()).append('/').append(c.id).append(path)
          .append("', kind: ").append(c.hikvision ? "HIKVISION" : "DAHUA").append(", user: ").append(USER)
          .append(", passwordFile: '").append(passwordFile).append("'}}\n");
    }
    return y.toString();
  }

  /** Starts or stops the cameras' events (keep-alives go on regardless). */
  void events(boolean on) {
    events = on;
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
    if (authorization == null || !answered(authorization, request.method().name(), request.uri())) {
      request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Digest realm=\"" + REALM
          + "\", qop=\"auth\", nonce=\"" + NONCE + "\", algorithm=MD5").end();
      return;
    }
    HttpServerResponse r = request.response().setChunked(true).putHeader("Content-Type",
        c.hikvision ? "multipart/mixed; boundary=boundary" : "multipart/x-mixed-replace; boundary=myboundary");
    if (c.stream != null) {
      c.stream.reset();
    }
    c.stream = r;
    streamsOpened.incrementAndGet();
    open.incrementAndGet();
    r.closeHandler(v -> {
      open.decrementAndGet();
      if (c.stream == r) {
        c.stream = null;
      }
    });
    r.write(Buffer.buffer());
  }

  private static boolean answered(String authorization, String method, String uri) {
    Map<String, String> p = new HashMap<>();
    Matcher m = PARAM.matcher(authorization);
    while (m.find()) {
      p.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
    }
    String ha1 = DigestMath.ha1("MD5", USER, REALM, PASSWORD);
    String expected = DigestMath.response("MD5", ha1, NONCE, p.get("nc"), p.get("cnonce"), "auth",
        DigestMath.ha2("MD5", method, uri));
    return USER.equals(p.get("username")) && uri.equals(p.get("uri")) && expected.equals(p.get("response"));
  }

  /** The farm's clock: keep-alives on each camera's phase, events at random while they are on. */
  private final class Ticks {
    private long tick;

    void tick(long id) {
      tick++;
      for (Camera c : all) {
        if (c.stream == null) {
          continue;
        }
        if (tick % heartbeatTicks == c.phase) {
          heartbeatsSent.incrementAndGet();
          send(c, c.hikvision ? hikvision(c, "videoloss", "inactive") : "Heartbeat");
        }
        if (events && ThreadLocalRandom.current().nextDouble() < eventChancePerTick) {
          c.active = !c.active;
          eventsSent.incrementAndGet();
          send(c, c.hikvision ? hikvision(c, "fielddetection", c.active ? "active" : "inactive")
              : dahua(c.active ? "Start" : "Stop"));
        }
      }
    }
  }

  private static void send(Camera c, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    c.stream.write(Buffer.buffer("--" + (c.hikvision ? "boundary" : "myboundary") + "\r\nContent-Type: "
        + (c.hikvision ? "application/xml; charset=\"UTF-8\"" : "text/plain") + "\r\nContent-Length: " + bytes.length
        + "\r\n\r\n").appendBytes(bytes).appendString("\r\n"));
  }

  private static String hikvision(Camera c, String type, String state) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<EventNotificationAlert version=\"2.0\" "
        + "xmlns=\"http://www.hikvision.com/ver20/XMLSchema\">\r\n<ipAddress>10.0.4.21</ipAddress>\r\n<portNo>80</portNo>\r\n"
        + "<protocol>HTTP</protocol>\r\n<channelID>1</channelID>\r\n<dateTime>2026-11-27T10:00:00+08:00</dateTime>\r\n"
        + "<activePostCount>1</activePostCount>\r\n<eventType>" + type + "</eventType>\r\n<eventState>" + state
        + "</eventState>\r\n<eventDescription>" + type + " alarm</eventDescription>\r\n<DetectionRegionList>\r\n"
        + "<DetectionRegionEntry>\r\n<regionID>1</regionID>\r\n<detectionTarget>human</detectionTarget>\r\n"
        + "</DetectionRegionEntry>\r\n</DetectionRegionList>\r\n</EventNotificationAlert>\r\n";
  }

  private static String dahua(String action) {
    return "Code=CrossLineDetection;action=" + action + ";index=0;data={\n   \"LocaleTime\" : \"2026-11-27 10:00:00\",\n"
        + "   \"Name\" : \"East wall\",\n   \"Object\" : { \"ObjectType\" : \"Human\" },\n   \"RuleID\" : 1\n}\r\n";
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    vertx.close().await();
  }
}
