package io.commguard.gateway.e2e;

import static io.commguard.gateway.admin.OpenApiConformance.conforms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.Gateway;
import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.PymodbusSimulator;
import io.commguard.gateway.testsupport.PymodbusSimulator.Framing;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A technician commissioning Modbus devices on a running gateway, against a real pymodbus slave
 * serving unit ids 1, 3 and 5: a test read of the polled gas detector on unit 1 shows the registers
 * the slave holds beside the decoded fields, its alarm condition and the events a poll would
 * deliver; a scan of the link finds exactly units 1, 3 and 5 while the detector keeps being polled;
 * the same through the CLI; answers validate against docs/openapi.yaml. One gateway for the class.
 */
class ModbusCommissioningIT {
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"));
  private static final String TOKEN = "commissioning-it-token-0123456789";
  /** Unit 1: the gas detector's block at 0x6000 (ready and low alarm, 27.0 %LEL, run status 1). Units 3 and 5 hold other registers. */
  private static final String SLAVE = """
      {"units": {
        "1": {"hr": {"0x6000": [32769, 270, 0, 0, 0, 0, 1]}},
        "3": {"hr": {"0": [7]}},
        "5": {"hr": {"100": [1]}}
      }}""";

  @TempDir static Path dir;
  private static PymodbusSimulator slave;
  private static MosquittoBroker city;
  private static Gateway gateway;
  private static String base;
  private static String[] cliApi;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    city = MosquittoBroker.start(dir);
    slave = PymodbusSimulator.tcp(dir, SLAVE, Framing.TCP);
    int adminPort = FreePort.next();
    base = "http://127.0.0.1:" + adminPort;
    Path token = Files.writeString(dir.resolve("admin.token"), TOKEN);
    cliApi = new String[] {"--url", base, "--token-file", token.toString()};
    Path config = Files.writeString(dir.resolve("gateway.yaml"), """
        gatewayId: gw-commissioning
        dataDir: '%s'
        profilesDir: '%s'
        deviceEndpoint: {enabled: true, host: 127.0.0.1, port: %d}
        modbusLinks:
          - {id: plant, transport: TCP, host: 127.0.0.1, port: %d, timeoutMs: 150}
        devices:
          - {id: gas-1, profile: generic-rs485-gas-0x6000, state: commissioning, modbus: {link: plant, unitId: 1}}
        uplink: {brokerUrl: '%s', ackMode: broker}
        admin: {enabled: true, port: %d, tokenFile: '%s'}
        """.formatted(dir.resolve("data"), PROFILES, FreePort.next(), slave.port(), city.url(), adminPort, token));
    // In this JVM, as ModbusLiveIT does: the packaged jar's start is covered elsewhere, and a second JVM costs the suite.
    gateway = Gateway.start(GatewayPlan.load(config), java.time.Clock.systemUTC(), config);
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (slave != null) {
      slave.close();
    }
    if (city != null) {
      city.stop();
    }
  }

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN)
        .timeout(Duration.ofSeconds(20));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static long okPolls() throws Exception {
    Long n = new JsonObject(send("GET", "/metrics.json", null).body()).getLong("modbus_polls{device=gas-1,reason=ok}");
    return n == null ? 0 : n;
  }

  @Test
  void testRead_showsTheRegistersTheSlaveHolds_besideTheDecodedFieldsConditionsAndEvents() throws Exception {
    HttpResponse<String> answer = send("POST", "/api/v1/devices/gas-1/test-read", null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    conforms("/api/v1/devices/{id}/test-read", "post", answer);
    JsonObject read = new JsonObject(answer.body());
    assertThat(read.getString("peer")).isEqualTo("plant unit 1");
    assertThat(read.getJsonArray("failures")).isEmpty();

    JsonArray raw = read.getJsonArray("raw");
    assertThat(raw.stream().map(r -> ((JsonObject) r).getInteger("address")).toList())
        .containsExactly(0x6000, 0x6001, 0x6002, 0x6003, 0x6004, 0x6005, 0x6006);
    assertThat(raw.getJsonObject(0).getString("hex")).isEqualTo("0x8001");
    assertThat(raw.getJsonObject(0).getLong("value")).isEqualTo(32769);
    assertThat(raw.getJsonObject(0).getInteger("function")).isEqualTo(3);
    assertThat(raw.getJsonObject(1).getString("hex")).isEqualTo("0x010E");
    assertThat(raw.getJsonObject(6).getLong("value")).isEqualTo(1);

    JsonObject concentration = field(read, "concentration");
    assertThat(concentration.getString("raw")).isEqualTo("270");
    assertThat(concentration.getString("value")).isEqualTo("27.0");
    assertThat(concentration.getString("unit")).isEqualTo("%LEL");
    assertThat(field(read, "status").getString("raw")).isEqualTo("32769");
    assertThat(field(read, "runStatus").getString("value")).isEqualTo("1");

    assertThat(condition(read, "low_alarm").getBoolean("active")).isTrue();
    assertThat(condition(read, "high_alarm").getBoolean("active")).isFalse();
    assertThat(condition(read, "warm_up").getBoolean("active")).isFalse();

    List<JsonObject> events = read.getJsonArray("events").stream().map(JsonObject.class::cast).toList();
    assertThat(events).anySatisfy(e -> {
      assertThat(e.getString("type")).isEqualTo("GAS_LEAK");
      assertThat(e.getString("phase")).isEqualTo("ACTIVE");
      assertThat(e.getInteger("level")).isEqualTo(2);
      assertThat(e.getJsonObject("fields").getString("concentration")).isEqualTo("27.0 %LEL");
    });
    assertThat(events).anySatisfy(e -> assertThat(e.getString("type")).isEqualTo("READING"));

    CliRun cli = cli("devices", "test", "gas-1");
    assertThat(cli.exit()).as(cli.out()).isZero();
    assertThat(cli.out()).containsPattern("holding 24577 +0x010E +270 +concentration +27.0 %LEL")
        .containsPattern("low_alarm +LOW_ALARM +yes").contains("GAS_LEAK ACTIVE level 2");

    assertThat(new JsonArray(send("GET", "/api/v1/audit", null).body()).stream().map(JsonObject.class::cast))
        .anySatisfy(a -> {
          assertThat(a.getString("action")).isEqualTo("device.test_read");
          assertThat(a.getString("target")).isEqualTo("gas-1");
        });
  }

  @Test
  void testRead_ofADeviceThatSendsOnItsOwn_isNotSupported_inWords() throws Exception {
    HttpResponse<String> added = send("POST", "/api/v1/devices", """
        {"id":"nb-1","profile":"generic-nbiot-gas-detector"}""");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    HttpResponse<String> answer = send("POST", "/api/v1/devices/nb-1/test-read", null);
    assertThat(answer.statusCode()).isEqualTo(409);
    conforms("/api/v1/devices/{id}/test-read", "post", answer);
    assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("not_supported");
    assertThat(new JsonObject(answer.body()).getString("message")).contains("nb-1").contains("mqtt").contains("polled");
    HttpResponse<String> sources = send("GET", "/api/v1/sources", null);
    conforms("/api/v1/sources", "get", sources);
    assertThat(sources.body()).contains("{\"name\":\"modbus\",\"testRead\":true,\"linkScan\":true}");
  }

  @Test
  void scan_findsExactlyTheUnitsTheSlaveServes_whileTheRunningPollKeepsItsSchedule() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> okPolls() >= 1);
    long pollsBefore = okPolls();
    HttpResponse<String> started = send("POST", "/api/v1/links/plant/scan", "{\"first\":1,\"last\":20}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    conforms("/api/v1/links/{link}/scan", "post", started);
    String job = new JsonObject(started.body()).getString("id");
    assertThat(started.headers().firstValue("Location")).hasValue("/api/v1/scans/" + job);
    HttpResponse<String> again = send("POST", "/api/v1/links/plant/scan", null);
    assertThat(again.statusCode()).as("one scan per link").isEqualTo(409);
    assertThat(again.body()).contains(job);

    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .until(() -> !new JsonObject(send("GET", "/api/v1/scans/" + job, null).body()).getString("state").equals("running"));
    HttpResponse<String> ended = send("GET", "/api/v1/scans/" + job, null);
    conforms("/api/v1/scans/{job}", "get", ended);
    JsonObject result = new JsonObject(ended.body());
    assertThat(result.getString("state")).isEqualTo("done");
    assertThat(result.getInteger("probed")).isEqualTo(20);
    List<JsonObject> answered = result.getJsonArray("answered").stream().map(JsonObject.class::cast).toList();
    assertThat(answered).extracting(a -> a.getInteger("unitId")).containsExactly(1, 3, 5);
    assertThat(answered.get(0).getString("device")).isEqualTo("gas-1");
    assertThat(answered.get(0).getInteger("exceptionCode")).as("unit 1 has no register 0").isEqualTo(2);
    assertThat(answered.get(1).getValue("exceptionCode")).isNull();
    assertThat(answered.get(2).getString("exception")).isEqualTo("illegal_data_address");
    // 17 silent units at 150 ms each: the detector, polled every second, kept polling meanwhile.
    assertThat(okPolls() - pollsBefore).isGreaterThanOrEqualTo(2);

    HttpResponse<String> links = send("GET", "/api/v1/links", null);
    conforms("/api/v1/links", "get", links);
    assertThat(new JsonArray(links.body()).getJsonObject(0).getJsonObject("scan").getString("id")).isEqualTo(job);

    CliRun cli = cli("devices", "scan", "plant", "--units", "2-6");
    assertThat(cli.exit()).as(cli.out()).isZero();
    assertThat(cli.out()).containsPattern("(?m)^3 +ok").containsPattern("(?m)^5 +exception 2 illegal_data_address")
        .contains("2 unit id(s) answered of 5 probed on link plant (done)");
  }

  private static JsonObject field(JsonObject read, String name) {
    return read.getJsonArray("fields").stream().map(JsonObject.class::cast).filter(f -> f.getString("name").equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no field " + name + " in " + read));
  }

  private static JsonObject condition(JsonObject read, String id) {
    return read.getJsonArray("conditions").stream().map(JsonObject.class::cast).filter(c -> c.getString("id").equals(id))
        .findFirst().orElseThrow(() -> new AssertionError("no condition " + id + " in " + read));
  }

  private record CliRun(int exit, String out) {}

  /** Runs {@code gateway ARGS} against the gateway, in this JVM, as a technician would on the box. */
  private static CliRun cli(String... args) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream before = System.out;
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      int exit = new picocli.CommandLine(new io.commguard.gateway.cli.GatewayCli())
          .execute(Stream.concat(Stream.of(args), Stream.of(cliApi)).toArray(String[]::new));
      return new CliRun(exit, buffer.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(before);
    }
  }
}
