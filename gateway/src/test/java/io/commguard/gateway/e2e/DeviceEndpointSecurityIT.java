package io.commguard.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the device-endpoint attacks of the hostile-LAN review against the packaged gateway on
 * the shipped JVM flags, with real MQTT clients on loopback: each attacker uses its own loopback
 * address (127.0.0.1x), the real devices others (127.0.0.2, 127.0.0.3), as on a LAN. During each
 * attack a real device must still get its CONNACK and PUBACK; the gateway must stay up with its
 * maps bounded; nothing a peer sent may forge a log line or put personal data in the log or
 * /metrics. RSS and the device's latency are printed per attack (figures only: the machine is
 * shared, so they are not asserted).
 */
class DeviceEndpointSecurityIT {
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"));
  private static final String TOKEN = "endpoint-security-it-token-0123456789";
  private static final String PASSWORD = "gas-device-secret-7f3a";
  private static final String ID_NUMBER = "110101199003074514";
  private static final Duration DEVICE_BOUND = Duration.ofSeconds(5);

  @TempDir static Path dir;
  private static MosquittoBroker city;
  private static GatewayProcess gateway;
  private static int endpointPort;
  private static int adminPort;
  private static byte[] reading;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Socket> sockets = new ArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(320);

  @BeforeAll
  static void startGateway() throws Exception {
    city = MosquittoBroker.start(dir);
    endpointPort = FreePort.next();
    adminPort = FreePort.next();
    Path token = dir.resolve("admin.token");
    Files.writeString(token, TOKEN);
    String hash = PasswordHash.hash(PASSWORD.toCharArray());
    StringBuilder devices = new StringBuilder();
    for (String id : List.of("gas-1", "gas-2", "gas-3", "gas-4", "gas-5", "gas-6")) {
      devices.append("  - {id: ").append(id).append(", profile: generic-nbiot-gas-detector, passwordHash: '")
          .append(hash).append("', site: {communityCode: '310115001', building: B3}}\n");
    }
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        gatewayId: gw-endpoint-sec
        dataDir: '%s'
        profilesDir: '%s'
        deviceEndpoint:
          enabled: true
          host: 127.0.0.1
          port: %d
          limits: {maxConnections: 2000, maxConnectionsPerAddress: 200, connectTimeoutSeconds: 2}
        devices:
        %s
        uplink: {brokerUrl: %s, ackMode: platform}
        admin: {enabled: true, port: %d, tokenFile: '%s'}
        """.formatted(dir.resolve("data"), PROFILES, endpointPort, devices.toString().stripTrailing(), city.url(),
        adminPort, token));
    gateway = new GatewayProcess(config, "-Xms16m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-XX:ReservedCodeCacheSize=24m", "-XX:MaxMetaspaceSize=64m", "-Xss256k", "-XX:+ExitOnOutOfMemoryError").start();
    reading = Files.readAllBytes(PROFILES.resolve("generic/nbiot-gas-detector/cases/high-alarm/payload.json"));
    await().atMost(Duration.ofSeconds(60)).until(() -> gateway.logText().contains("Gateway ready"));
  }

  @AfterAll
  static void stopGateway() throws Exception {
    if (gateway != null) {
      gateway.stop();
    }
    if (city != null) {
      city.stop();
    }
  }

  @AfterEach
  void closeSockets() {
    pool.shutdownNow();
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already closed by the gateway
      }
    }
  }

  @Test
  void thousandConnectsWithUnique60KbUsernames_refusedFromTheirHeader_gatewayUpAndBounded() throws Exception {
    long rssBefore = gateway.rssKib();
    List<Future<Boolean>> attempts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String username = "user-" + i + "-" + "x".repeat(60_000);
      attempts.add(pool.submit(() -> closedWithoutConnack("127.0.0.11", connect(username, "pw", 4))));
    }
    long deviceMs = realDeviceConnectsAndPublishes("gas-1", "127.0.0.2");
    for (Future<Boolean> a : attempts) {
      assertThat(a.get(60, TimeUnit.SECONDS)).as("refused without a CONNACK").isTrue();
    }

    Map<String, Object> metrics = metrics();
    assertThat(counter(metrics, "connections_refused{device=-,reason=oversized_connect}")
        + counter(metrics, "connections_refused{device=-,reason=too_many_from_address}")).isGreaterThanOrEqualTo(1000);
    assertThat(metrics.size()).as("no series per username").isLessThan(200);
    assertThat(gateway.alive()).isTrue();
    assertThat(gateway.logText()).doesNotContain("xxxxxxxxxx").hasSizeLessThan(2_000_000);
    figure("60KB-username CONNECT flood x1000", rssBefore, deviceMs);
  }

  @Test
  void thousandUniqueLongUsernamesInsideTheConnectBound_neitherLoggedNorCountedOneByOne() throws Exception {
    long rssBefore = gateway.rssKib();
    List<Future<Boolean>> attempts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String username = "user-" + i + "-" + "y".repeat(4_000);
      attempts.add(pool.submit(() -> answeredWithRefusal("127.0.0.15", connect(username, "pw", 4))));
    }
    for (Future<Boolean> a : attempts) {
      assertThat(a.get(60, TimeUnit.SECONDS)).isTrue();
    }

    Map<String, Object> metrics = metrics();
    assertThat(metrics.keySet()).noneMatch(k -> k.contains("yyyy"));
    assertThat(metrics.size()).isLessThan(200);
    assertThat(gateway.logText()).doesNotContain("yyyyyyyyyy");
    figure("4KB-username login flood x1000", rssBefore, realDeviceConnectsAndPublishes("gas-6", "127.0.0.2"));
  }

  @Test
  void threeHundredParallelWrongPasswords_throttled_whileRealDevicesConnectAndPublish() throws Exception {
    realDeviceConnectsAndPublishes("gas-2", "127.0.0.2"); // a running device: it has logged in before
    long rssBefore = gateway.rssKib();
    List<Future<Boolean>> guesses = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byte[] guess = connect("gas-2", "guess-" + i, 5);
      guesses.add(pool.submit(() -> answeredWithRefusal("127.0.0.12", guess)));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> counter(metrics(), "login_lockouts{device=-,reason=address}") >= 1);

    long returning = realDeviceConnectsAndPublishes("gas-2", "127.0.0.2");
    long firstLogin = realDeviceConnectsAndPublishes("gas-3", "127.0.0.3");
    for (Future<Boolean> g : guesses) {
      assertThat(g.get(60, TimeUnit.SECONDS)).as("every guess answered with a refusal").isTrue();
    }

    Map<String, Object> metrics = metrics();
    assertThat(counter(metrics, "connections_refused{device=gas-2,reason=bad_credentials}"))
        .as("guesses actually checked: the free ones and those already queued, not 300").isLessThan(60);
    assertThat(counter(metrics, "connections_refused{device=gas-2,reason=locked_out}")
        + counter(metrics, "connections_refused{device=-,reason=too_many_from_address}")).isGreaterThanOrEqualTo(240);
    assertThat(gateway.logText()).doesNotContain("Unhandled exception").doesNotContain("MQTT endpoint is closed");
    figure("300 parallel wrong passwords (returning device)", rssBefore, returning);
    figure("300 parallel wrong passwords (first login, other address)", rssBefore, firstLogin);
  }

  @Test
  void abandonedLogins_countedQuietly() throws Exception {
    for (int i = 0; i < 20; i++) {
      Socket s = socket("127.0.0.16");
      s.getOutputStream().write(connect("gas-" + (1 + i % 6), "wrong-" + i, 5));
      s.close();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> counter(metrics(), "logins_abandoned") >= 1);
    assertThat(gateway.logText()).doesNotContain("MQTT endpoint is closed").doesNotContain("not connected client")
        .doesNotContain("\tat io.vertx");
  }

  @Test
  void newlineAndIdNumberInUsernames_noForgedLine_nothingPersonalInLogOrMetrics() throws Exception {
    List<Future<Boolean>> attempts = new ArrayList<>();
    attempts.add(pool.submit(() -> answeredWithRefusal("127.0.0.13",
        connect("张三" + ID_NUMBER + "\nSEVERE: FORGED admin login accepted", "pw", 5))));
    attempts.add(pool.submit(() -> answeredWithRefusal("127.0.0.13", connect(ID_NUMBER, "pw", 5))));
    attempts.add(pool.submit(() -> answeredWithRefusal("127.0.0.13", connect(ID_NUMBER, "pw", 4))));
    for (Future<Boolean> a : attempts) {
      assertThat(a.get(60, TimeUnit.SECONDS)).isTrue();
    }

    String log = gateway.logText();
    assertThat(log.lines()).noneMatch(l -> l.startsWith("SEVERE: FORGED"));
    assertThat(log).doesNotContain(ID_NUMBER).doesNotContain("张三").contains("anon-");
    for (String path : List.of("/metrics", "/metrics.json")) {
      String metrics = http.send(admin(path), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).as(path).contains("connections_refused").doesNotContain(ID_NUMBER).doesNotContain("张三")
          .doesNotContain("FORGED");
    }
  }

  @Test
  void hugeMqtt5ConnectProperties_refusedAfterTheHeader_whileARealDevicePublishes() throws Exception {
    long rssBefore = gateway.rssKib();
    List<Future<Long>> floods = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      floods.add(pool.submit(() -> bytesAcceptedOfHugeConnect("127.0.0.17", 30 * 1024 * 1024)));
    }
    long deviceMs = realDeviceConnectsAndPublishes("gas-4", "127.0.0.2");
    for (Future<Long> f : floods) {
      assertThat(f.get(60, TimeUnit.SECONDS)).as("bytes written before the gateway closed the socket")
          .isLessThan(8L * 1024 * 1024);
    }
    assertThat(counter(metrics(), "connections_refused{device=-,reason=oversized_connect}")).isGreaterThanOrEqualTo(6);
    assertThat(gateway.alive()).isTrue();
    figure("6 x 30 MB MQTT 5 CONNECT properties", rssBefore, deviceMs);
  }

  @Test
  void thousandIdleSockets_capPerAddress_closedByTheConnectDeadline() throws Exception {
    long rssBefore = gateway.rssKib();
    Map<String, Object> before = metrics();
    for (int i = 0; i < 1000; i++) {
      sockets.add(socket("127.0.0.14"));
    }
    long deviceMs = realDeviceConnectsAndPublishes("gas-5", "127.0.0.2");
    long rssDuring = gateway.rssKib();

    // Each socket is either refused at accept (over 200 from the address) or closed at its deadline.
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      Map<String, Object> now = metrics();
      return delta(before, now, "connections_refused{device=-,reason=too_many_from_address}")
          + delta(before, now, "connections_refused{device=-,reason=connect_timeout}") >= 1000;
    });
    Map<String, Object> after = metrics();
    assertThat(delta(before, after, "connections_refused{device=-,reason=too_many_from_address}")).isGreaterThan(0);
    assertThat(delta(before, after, "connections_refused{device=-,reason=connect_timeout}")).isGreaterThanOrEqualTo(200);
    for (Socket s : sockets) {
      s.setSoTimeout(5_000);
      assertThat(s.getInputStream().read()).as("closed by the gateway").isEqualTo(-1);
    }
    figure("1000 idle sockets (RSS during: " + rssDuring + " KiB)", rssBefore, deviceMs);
  }

  // --- real device -----------------------------------------------------------------------------

  /** Connects from {@code local}, publishes one QoS 1 report; both within the bound. Returns ms. */
  private long realDeviceConnectsAndPublishes(String id, String local) throws Exception {
    long start = System.nanoTime();
    MqttAsyncClient device = new MqttAsyncClient("tcp://127.0.0.1:" + endpointPort, id, new MemoryPersistence());
    try {
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setUserName(id);
      o.setPassword(PASSWORD.getBytes(StandardCharsets.UTF_8));
      o.setConnectionTimeout(10);
      o.setSocketFactory(boundTo(local));
      IMqttToken connected = device.connect(o);
      await().atMost(DEVICE_BOUND).until(connected::isComplete);
      assertThat(connected.getException()).isNull();
      MqttMessage m = new MqttMessage(reading);
      m.setQos(1);
      IMqttToken acked = device.publish("devices/" + id + "/event", m);
      await().atMost(DEVICE_BOUND).until(acked::isComplete);
      assertThat(acked.getException()).isNull();
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    } finally {
      if (device.isConnected()) {
        device.disconnect().waitForCompletion(5_000);
      }
      device.close(true);
    }
  }

  private static SocketFactory boundTo(String local) {
    return new SocketFactory() {
      @Override
      public Socket createSocket() throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(local, 0));
        return s;
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(host.getHostAddress(), port);
      }

      @Override
      public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(address.getHostAddress(), port);
      }
    };
  }

  // --- attackers: raw MQTT on a socket -----------------------------------------------------------

  private Socket socket(String local) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(local, 0));
    s.connect(new InetSocketAddress("127.0.0.1", endpointPort), 5_000);
    return s;
  }

  /** Sends the packet; true when the gateway closes the socket without a CONNACK. */
  private boolean closedWithoutConnack(String local, byte[] connect) throws IOException {
    try (Socket s = socket(local)) {
      s.setSoTimeout(30_000);
      try {
        s.getOutputStream().write(connect);
      } catch (IOException closedWhileWriting) {
        return true;
      }
      try {
        return s.getInputStream().read() == -1;
      } catch (IOException reset) {
        return true;
      }
    }
  }

  /** Sends the packet; true when the gateway answers with a refusing CONNACK (or closes at once). */
  private boolean answeredWithRefusal(String local, byte[] connect) throws IOException {
    try (Socket s = socket(local)) {
      s.setSoTimeout(60_000);
      s.getOutputStream().write(connect);
      InputStream in = s.getInputStream();
      int type = in.read();
      if (type == -1) {
        return true;
      }
      in.read(); // remaining length
      in.read(); // flags
      return type == 0x20 && in.read() != 0;
    }
  }

  /** Streams a CONNECT announcing {@code size} bytes of MQTT 5 properties; returns bytes written before the close. */
  private long bytesAcceptedOfHugeConnect(String local, int size) throws IOException {
    AtomicInteger written = new AtomicInteger();
    try (Socket s = socket(local)) {
      OutputStream out = s.getOutputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      head.write(0x10);
      writeVarInt(head, size);
      head.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 5, 2, 0, 60});
      writeVarInt(head, size - 20);
      out.write(head.toByteArray());
      byte[] chunk = new byte[64 * 1024];
      for (int i = 0; i < chunk.length; i += 3) {
        chunk[i] = 0x26; // user property: key and value as length-prefixed strings
      }
      try {
        while (written.get() < size) {
          out.write(chunk);
          written.addAndGet(chunk.length);
        }
      } catch (IOException closedByGateway) {
        return written.get();
      }
      return written.get();
    }
  }

  /** An MQTT CONNECT (protocol level 4 = 3.1.1, 5 = MQTT 5) with username and password. */
  private static byte[] connect(String username, String password, int level) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', (byte) level, (byte) 0xC2, 0, 60});
    if (level == 5) {
      body.write(0); // no properties
    }
    writeString(body, "c" + Integer.toHexString(username.hashCode()));
    writeString(body, username);
    writeString(body, password);
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x10);
    writeVarInt(packet, body.size());
    packet.writeBytes(body.toByteArray());
    return packet.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >> 8);
    out.write(b.length & 0xff);
    out.writeBytes(b);
  }

  private static void writeVarInt(ByteArrayOutputStream out, int value) {
    do {
      int digit = value % 128;
      value /= 128;
      out.write(value > 0 ? digit | 0x80 : digit);
    } while (value > 0);
  }

  // --- admin API and figures ---------------------------------------------------------------------

  private HttpRequest admin(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5)).GET().build();
  }

  private Map<String, Object> metrics() throws Exception {
    return new JsonObject(http.send(admin("/metrics.json"), HttpResponse.BodyHandlers.ofString()).body()).getMap();
  }

  private static long counter(Map<String, Object> metrics, String key) {
    Object v = metrics.get(key);
    return v == null ? 0 : ((Number) v).longValue();
  }

  private static long delta(Map<String, Object> before, Map<String, Object> after, String key) {
    return counter(after, key) - counter(before, key);
  }

  private static void figure(String attack, long rssBeforeKib, long deviceMs) {
    System.out.println("FIGURE attack=\"" + attack + "\" rss_before_kib=" + rssBeforeKib + " rss_after_kib="
        + gateway.rssKib() + " real_device_connect_and_puback_ms=" + deviceMs);
  }
}
