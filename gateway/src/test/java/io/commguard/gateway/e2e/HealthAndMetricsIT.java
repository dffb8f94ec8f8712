package io.commguard.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertType;
import io.commguard.gateway.receiver.CityReceiver;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.PrometheusParser;
import io.commguard.gateway.testsupport.PrometheusParser.Sample;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway as a probe and a Prometheus server see it: a real site broker, a real city
 * broker with the reference receiver acknowledging, and the admin API's probes and figures while
 * alarms flow, then while the city is unreachable.
 */
class HealthAndMetricsIT {
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"));
  private static final String TOKEN = "health-it-token-0123456789";
  private static final Duration START = Duration.ofSeconds(60);
  /** A metric name: before a label selector, or the first argument of label_values(). */
  private static final Pattern METRIC = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)\\{|label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)");

  @TempDir Path dir;
  private MosquittoBroker site;
  private MosquittoBroker city;
  private CityReceiver receiver;
  private GatewayProcess gateway;
  private MqttClient devices;
  private String admin;
  private final List<Alert> received = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    site = MosquittoBroker.start(dir);
    city = MosquittoBroker.start(dir);
    int adminPort = FreePort.next();
    admin = "http://127.0.0.1:" + adminPort;
    Path token = Files.writeString(dir.resolve("admin.token"), TOKEN);
    Path config = Files.writeString(dir.resolve("gateway.yaml"), """
        gatewayId: gw-health
        dataDir: '%s'
        profilesDir: '%s'
        externalBroker: {url: '%s', topics: ['site/{deviceId}/event']}
        devices:
          - {id: gas-1, profile: generic-nbiot-gas-detector}
          - {id: gas-2, profile: generic-nbiot-gas-detector}
        uplink: {brokerUrl: '%s', ackMode: platform}
        admin: {enabled: true, port: %d, tokenFile: '%s'}
        """.formatted(dir.resolve("data"), PROFILES, site.url(), city.url(), adminPort, token));
    receiver = new CityReceiver(CityReceiver.Options.of(city.url(), dir.resolve("received.jsonl")), received::add);
    receiver.start();
    gateway = new GatewayProcess(config).start();
    await().atMost(START).untilAsserted(() -> assertThat(gateway.logText()).contains("Gateway ready"));
    devices = new MqttClient(site.url(), "device-sim", new MemoryPersistence());
    devices.connect();
  }

  @AfterEach
  void stop() throws Exception {
    if (devices != null && devices.isConnected()) {
      devices.disconnect();
    }
    if (gateway != null) {
      gateway.stop();
    }
    if (receiver != null) {
      receiver.close();
    }
    city.stop();
    site.stop();
  }

  @Test
  void probesAndFigures_followTheDataPath_andTheUplink() throws Exception {
    await().atMost(START).untilAsserted(() -> assertThat(get("/readyz", false).body()).isEqualTo("{\"status\":\"ready\"}"));
    assertThat(get("/healthz", false).statusCode()).isEqualTo(200);
    JsonObject health = new JsonObject(get("/health", true).body());
    assertThat(health.getJsonObject("checks").fieldNames()).containsExactly("outbox", "sources", "uplink");
    assertThat(health.getJsonObject("checks").getJsonObject("sources").getString("detail"))
        .startsWith("started: mqtt (2 devices), modbus (0 devices)");

    publishGasAlarm("gas-1");
    publish("gas-1", "generic/nbiot-gas-detector/cases/malformed-json/payload.json");
    await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().anyMatch(a -> a.getType() == AlertType.GAS_LEAK));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<Sample> samples = scrape();
      assertThat(value(samples, "commguard_ingest_to_commit_seconds_count", Map.of())).isGreaterThanOrEqualTo(1);
      assertThat(value(samples, "commguard_commit_to_ack_seconds_count", Map.of())).isGreaterThanOrEqualTo(1);
      assertThat(value(samples, "commguard_episodes_open", Map.of("level", "1"))).isEqualTo(1);
      assertThat(value(samples, "commguard_outbox_pending", Map.of("priority", "1"))).isZero();
    });
    List<Sample> samples = scrape();
    assertThat(samples).filteredOn(s -> s.name().equals("commguard_commit_to_ack_seconds_bucket"))
        .as("buckets up to a day, for acknowledgements after an outage").anySatisfy(s ->
            assertThat(s.labels()).containsEntry("le", "86400.0"));
    Set<String> exported = samples.stream().map(Sample::name).collect(Collectors.toSet());
    assertThat(dashboardMetrics()).as("every metric the Grafana dashboard queries is exported")
        .contains("commguard_uplink_healthy", "commguard_commit_to_ack_seconds_bucket", "commguard_rejected_total")
        .allSatisfy(name -> assertThat(exported).contains(name));
    for (String priority : List.of("1", "2", "3", "4")) {
      assertThat(samples).filteredOn(s -> s.name().equals("commguard_outbox_oldest_age_seconds"))
          .anySatisfy(s -> assertThat(s.labels()).containsEntry("priority", priority));
    }

    city.stop();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> ready = get("/readyz", false);
      assertThat(ready.statusCode()).as("a lost uplink leaves the gateway ready").isEqualTo(200);
      assertThat(ready.body()).isEqualTo("{\"status\":\"degraded\"}");
    });
    publishGasAlarm("gas-2");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<Sample> waiting = scrape();
      assertThat(value(waiting, "commguard_outbox_pending", Map.of("priority", "1"))).isGreaterThanOrEqualTo(1);
      assertThat(value(waiting, "commguard_outbox_oldest_age_seconds", Map.of("priority", "1"))).isPositive();
      assertThat(value(waiting, "commguard_uplink_healthy", Map.of())).isZero();
    });
    assertThat(new JsonObject(get("/health", true).body()).getJsonObject("checks").getJsonObject("uplink")
        .getString("state")).isEqualTo("DEGRADED");
  }

  private void publishGasAlarm(String device) throws Exception {
    publish(device, "generic/nbiot-gas-detector/cases/high-alarm/payload.json");
  }

  private void publish(String device, String caseFile) throws Exception {
    byte[] payload = Files.readAllBytes(PROFILES.resolve(caseFile));
    devices.publish("site/" + device + "/event", new MqttMessage(payload, 1, false, null));
  }

  /** The metric names deploy/grafana-dashboard.json queries: each selector's name and the instance variable's. */
  private static Set<String> dashboardMetrics() throws Exception {
    String dashboard = Files.readString(PROFILES.toAbsolutePath().getParent().resolve("deploy/grafana-dashboard.json"));
    JsonObject json = new JsonObject(dashboard);
    List<String> queries = new ArrayList<>();
    json.getJsonArray("panels").forEach(p -> ((JsonObject) p).getJsonArray("targets")
        .forEach(t -> queries.add(((JsonObject) t).getString("expr"))));
    json.getJsonObject("templating").getJsonArray("list").forEach(v -> {
      Object query = ((JsonObject) v).getValue("query");
      if (query instanceof JsonObject q) {
        queries.add(q.getString("query"));
      }
    });
    Set<String> names = new TreeSet<>();
    for (String q : queries) {
      Matcher m = METRIC.matcher(q);
      while (m.find()) {
        names.add(m.group(1) != null ? m.group(1) : m.group(2));
      }
    }
    return names;
  }

  private List<Sample> scrape() throws Exception {
    HttpResponse<String> metrics = get("/metrics", true);
    assertThat(metrics.statusCode()).isEqualTo(200);
    return PrometheusParser.parse(metrics.body());
  }

  private static double value(List<Sample> samples, String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
        .mapToDouble(Sample::value).findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + name + labels));
  }

  private HttpResponse<String> get(String path, boolean authenticated) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin + path)).timeout(Duration.ofSeconds(10));
    if (authenticated) {
      b.header("Authorization", "Bearer " + TOKEN);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
