package io.commguard.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertType;
import io.commguard.gateway.receiver.CityReceiver;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A technician's provisioning flows against the packaged gateway, through the admin API only: add
 * a device in commissioning, a real MQTT client logs in with the generated password, the device
 * reads online, its alarm shows on the live event stream and reaches the city flagged as a test;
 * disabling it closes its session. Then a CSV import: a dry run naming the bad row (API and CLI),
 * an apply, the CLI's list, an export. One gateway, one city broker for the class.
 */
class DeviceProvisioningIT {
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"));
  private static final String TOKEN = "provisioning-it-token-0123456789";

  @TempDir static Path dir;
  private static MosquittoBroker city;
  private static CityReceiver receiver;
  private static GatewayProcess gateway;
  private static String admin;
  private static int endpointPort;
  private static final List<Alert> received = new CopyOnWriteArrayList<>();
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    city = MosquittoBroker.start(dir);
    int adminPort = FreePort.next();
    endpointPort = FreePort.next();
    admin = "http://127.0.0.1:" + adminPort + "/api/v1";
    Path token = Files.writeString(dir.resolve("admin.token"), TOKEN);
    Path config = Files.writeString(dir.resolve("gateway.yaml"), """
        gatewayId: gw-provisioning
        dataDir: '%s'
        profilesDir: '%s'
        deviceEndpoint: {enabled: true, host: 127.0.0.1, port: %d}
        uplink: {brokerUrl: '%s', ackMode: platform}
        admin: {enabled: true, port: %d, tokenFile: '%s'}
        """.formatted(dir.resolve("data"), PROFILES, endpointPort, city.url(), adminPort, token));
    receiver = new CityReceiver(CityReceiver.Options.of(city.url(), dir.resolve("received.jsonl")), received::add);
    receiver.start();
    gateway = new GatewayProcess(config).start();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(gateway.logText()).contains("Gateway ready"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.stop();
    }
    if (receiver != null) {
      receiver.close();
    }
    city.stop();
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(admin + path)).header("Authorization", "Bearer " + TOKEN)
        .timeout(Duration.ofSeconds(20));
  }

  private static HttpResponse<String> send(String method, String path, String contentType, byte[] body) throws Exception {
    HttpRequest.Builder b = request(path);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static JsonObject status(String id) throws Exception {
    HttpResponse<String> r = send("GET", "/devices/" + id, null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonObject("status");
  }

  @Test
  void addedDevice_logsInWithItsGeneratedPassword_goesOnline_isWatchedLive_andDisablingClosesItsSession() throws Exception {
    HttpResponse<String> created = send("POST", "/devices", "application/json", """
        {"id":"gas-it","profile":"generic-nbiot-gas-detector","site":"310115001/G-07/3/1/7F","location":"kitchen",
         "state":"commissioning"}""".getBytes(StandardCharsets.UTF_8));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String password = new JsonObject(created.body()).getString("password");
    assertThat(password).hasSize(20);
    assertThat(status("gas-it").getString("connection")).isEqualTo("never");
    assertThat(send("GET", "/devices/gas-it", null, null).body()).doesNotContain("pbkdf2");

    List<String> live = new CopyOnWriteArrayList<>();
    CompletableFuture<HttpResponse<Stream<String>>> stream = http.sendAsync(request("/devices/gas-it/events").build(),
        HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> sse = stream.get();
    assertThat(sse.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    Thread reader = new Thread(() -> sse.body().forEach(live::add), "sse-reader");
    reader.setDaemon(true);
    reader.start();

    AtomicBoolean lost = new AtomicBoolean();
    MqttClient device = connect("gas-it", password, lost);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      JsonObject s = status("gas-it");
      assertThat(s.getString("connection")).isEqualTo("online");
      assertThat(s.getString("peer")).isEqualTo("127.0.0.1");
    });

    MqttMessage alarm = new MqttMessage(("{\"imei\":\"868120300012345\",\"ts\":1795336000000,\"status\":\"low\","
        + "\"gas\":{\"concentration\":27},\"fw\":\"V2.3\"}").getBytes(StandardCharsets.UTF_8));
    alarm.setQos(1);
    device.publish("devices/gas-it/report", alarm);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(live).anySatisfy(line -> {
      assertThat(line).startsWith("data: ");
      JsonObject e = new JsonObject(line.substring(6));
      assertThat(e.getString("type")).isEqualTo("GAS_LEAK");
      assertThat(e.getString("decision")).isEqualTo("forwarded");
      assertThat(e.getBoolean("test")).isTrue();
      assertThat(e.getJsonObject("fields").getString("concentration")).isEqualTo("27.0 %LEL");
    }));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received)
        .filteredOn(a -> a.getDevice().getDeviceId().equals("gas-it") && a.getType() == AlertType.GAS_LEAK)
        .isNotEmpty().allSatisfy(a -> assertThat(a.getTest()).as("a commissioning device's alarm is a test").isTrue()));
    JsonObject s = status("gas-it");
    assertThat(s.getJsonObject("lastEvent").getString("type")).isEqualTo("GAS_LEAK");
    assertThat(s.getString("firmware")).isEqualTo("V2.3");
    assertThat(s.getJsonObject("counters").getLong("received")).isEqualTo(1);

    HttpResponse<String> disabled = send("POST", "/devices/gas-it/disable", null, null);
    assertThat(disabled.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(disabled.body()).getString("state")).isEqualTo("disabled");
    await().atMost(Duration.ofSeconds(5)).untilTrue(lost);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(status("gas-it").getString("connection")).isEqualTo("offline"));
    device.close(true);
    sse.body().close();

    assertThat(send("GET", "/devices?status=offline", null, null).body()).contains("\"gas-it\"");
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(admin + "/devices")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void csvImport_dryRunNamesTheBadRow_applyAddsAll_andExportListsThem() throws Exception {
    String bad = "id,profile,site,location,state,topic,modbusLink,modbusUnitId\r\n"
        + "cam-101,hikvision-isapi-camera,310115001/G-07/3,北门,,,,\r\n"
        + "cam-102,no-such-profile,310115001/G-07/3,南门,,,,\r\n";
    HttpResponse<String> dry = send("POST", "/devices/import?dryRun=true", "text/csv",
        bad.getBytes(Charset.forName("GB18030")));
    assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
    JsonObject report = new JsonObject(dry.body());
    assertThat(report.getInteger("valid")).isEqualTo(1);
    JsonArray errors = report.getJsonArray("errors");
    assertThat(errors).hasSize(1);
    assertThat(errors.getJsonObject(0).getInteger("row")).isEqualTo(3);
    assertThat(errors.getJsonObject(0).getString("column")).isEqualTo("profile");
    assertThat(send("GET", "/devices/cam-101", null, null).statusCode()).as("a dry run adds nothing").isEqualTo(404);

    HttpResponse<String> refused = send("POST", "/devices/import?dryRun=false", "text/csv", bad.getBytes(StandardCharsets.UTF_8));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(send("GET", "/devices/cam-101", null, null).statusCode()).as("all or nothing").isEqualTo(404);

    String good = bad.replace("no-such-profile", "hikvision-isapi-camera");
    HttpResponse<String> applied = send("POST", "/devices/import?dryRun=false", "text/csv",
        ("\uFEFF" + good).getBytes(StandardCharsets.UTF_8));
    assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
    JsonObject result = new JsonObject(applied.body());
    assertThat(result.getInteger("created")).isEqualTo(2);
    assertThat(result.getString("credentialsCsv")).startsWith("id,password\r\n").contains("cam-101,").contains("cam-102,");
    assertThat(status("cam-102").getString("connection")).isEqualTo("never");

    String[] api = {"--url", admin.replace("/api/v1", ""), "--token-file", dir.resolve("admin.token").toString()};
    Path badFile = Files.write(dir.resolve("bad.csv"), bad.getBytes(Charset.forName("GB18030")));
    CliRun dryRun = cli(concat(new String[] {"devices", "import", "--dry-run", badFile.toString()}, api));
    assertThat(dryRun.exit()).as(dryRun.out()).isEqualTo(2);
    assertThat(dryRun.out()).contains("row 3").contains("profile").contains("1 valid rows, 1 errors");
    CliRun list = cli(concat(new String[] {"devices", "list", "--status", "never"}, api));
    assertThat(list.exit()).as(list.out()).isZero();
    assertThat(list.out()).contains("cam-101").contains("hikvision-isapi-camera").contains("never");

    HttpResponse<String> exported = send("GET", "/devices/export", null, null);
    assertThat(exported.statusCode()).isEqualTo(200);
    assertThat(exported.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    assertThat(exported.body()).startsWith("\uFEFFid,profile,site,location,state")
        .contains("cam-101,hikvision-isapi-camera,310115001/G-07/3,北门,enabled").contains("cam-102,");
  }

  private record CliRun(int exit, String out) {}

  /** Runs {@code gateway ARGS} in this JVM, as a technician would on the box. */
  private static CliRun cli(String... args) {
    java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
    java.io.PrintStream before = System.out;
    System.setOut(new java.io.PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      int exit = new picocli.CommandLine(new io.commguard.gateway.cli.GatewayCli()).execute(args);
      return new CliRun(exit, buffer.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(before);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }

  private static MqttClient connect(String id, String password, AtomicBoolean lost) throws MqttException {
    MqttClient client = new MqttClient("tcp://127.0.0.1:" + endpointPort, id, new MemoryPersistence());
    client.setTimeToWait(5_000);
    client.setCallback(new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse r) {
        lost.set(true);
      }

      @Override
      public void mqttErrorOccurred(MqttException e) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {}

      @Override
      public void deliveryComplete(IMqttToken token) {}

      @Override
      public void connectComplete(boolean reconnect, String serverURI) {}

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    });
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setUserName(id);
    o.setPassword(password.getBytes(StandardCharsets.UTF_8));
    o.setAutomaticReconnect(false);
    client.connect(o);
    return client;
  }
}
