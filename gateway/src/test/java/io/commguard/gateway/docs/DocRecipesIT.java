package io.commguard.gateway.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertBatch;
import io.commguard.alert.v1.AlertState;
import io.commguard.alert.v1.AlertType;
import io.commguard.alert.v1.Device;
import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.testsupport.DocRecipes;
import io.commguard.gateway.testsupport.DocRecipes.Block;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.MqttProbe;
import io.commguard.gateway.testsupport.ShellRecipe;
import io.commguard.gateway.testsupport.TlsBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shell recipe of the README and docs/ is run here, as written, so the docs stay true.
 * Placeholders (a broker's host name, /etc paths, fixed ports) are replaced by real loopback peers
 * and temporary files; a recipe that runs until stopped is checked by its first output. A new
 * recipe fails {@link #everyRecipeIsRunHere} until a test here runs it.
 */
class DocRecipesIT {
  private static final Duration QUICK = Duration.ofSeconds(60);

  /** Each recipe block by its file and first command; the test that runs it is named beside it. */
  private static final String QUICKSTART = "./deploy/demo.sh";
  private static final String RUNNING_FOR_REAL = "mvn -DskipTests package";
  private static final String PROTOC_CHECK = "mosquitto_sub -h BROKER";
  private static final String RECEIVER = "java -jar gateway/target/gateway.jar receiver";
  private static final String PROFILES_LIST = "gateway profiles list";
  private static final String PROFILES_VALIDATE = "gateway profiles validate /opt/commguard/device-profiles";
  private static final String PROFILE_CHECKS = "gateway profiles validate device-profiles";
  private static final String ADMIN_API = "curl -fsS http://127.0.0.1:8641/healthz";
  private static final Set<String> RUN_HERE = Set.of(
      "README.md " + QUICKSTART, "README.md " + RUNNING_FOR_REAL, "docs/alert-contract.md " + PROTOC_CHECK,
      "docs/delivery.md " + RECEIVER, "docs/profiles.md " + PROFILES_LIST, "docs/profiles.md " + PROFILES_VALIDATE,
      "docs/profiles.md " + PROFILE_CHECKS, "docs/admin-api.md " + ADMIN_API);

  @TempDir Path dir;

  @Test
  void everyRecipeIsRunHere() {
    List<Block> blocks = DocRecipes.all();

    assertThat(blocks).as("recipes found").hasSizeGreaterThanOrEqualTo(RUN_HERE.size());
    assertThat(blocks).allSatisfy(b -> {
      assertThat(b.tagged()).as("%s holds commands: fence it as ```sh", b.where()).isTrue();
      assertThat(RUN_HERE).as("%s (%s) is run by a test in DocRecipesIT", b.where(), b.commands().get(0))
          .anyMatch(key -> (b.file() + " " + String.join("\n", b.commands())).startsWith(key));
    });
  }

  /** README quick start: the demo launcher, until its first alert. The second line is the test command itself. */
  @Test
  void readme_quickstart_demoPrintsCityAlerts() throws Exception {
    List<String> commands = DocRecipes.find("README.md", QUICKSTART).commands();
    assertThat(commands).containsExactly("./deploy/demo.sh", "./.ci/test.sh");

    try (ShellRecipe demo = ShellRecipe.start(commands.get(0), DocRecipes.repository(), dir.resolve("demo.out"), null,
        Map.of())) {
      demo.awaitOutput("CITY <- ", Duration.ofSeconds(90));
      assertThat(demo.output()).doesNotContain("Exception");
    }
  }

  /** README "Running it for real": build (this build made the jar), hash, validate the example, run. */
  @Test
  void readme_runningForReal_hashValidateRun() throws Exception {
    List<String> commands = DocRecipes.find("README.md", RUNNING_FOR_REAL).commands();
    assertThat(commands).hasSize(4);
    Path repo = DocRecipes.repository();
    assertThat(repo.resolve("gateway/target/gateway.jar")).as("what the build recipe promises").isRegularFile();

    Path hashed = dir.resolve("hash.out");
    assertThat(ShellRecipe.run(commands.get(1), repo, hashed, "a-device-password\n", QUICK)).isZero();
    assertThat(PasswordHash.verify("a-device-password".toCharArray(), Files.readString(hashed).strip())).isTrue();

    Path validated = dir.resolve("validate.out");
    assertThat(ShellRecipe.run(commands.get(2), repo, validated, null, QUICK)).as("placeholders are problems").isEqualTo(2);
    // One pass names every problem: the example's profiles folder (made by installing) as well.
    assertThat(Files.readAllLines(validated)).containsExactly(
        "/opt/commguard/device-profiles: profiles directory does not exist",
        "deploy/gateway.example.yaml: devices[0].passwordHash: placeholder: replace with the output of `gateway hash-password`",
        "deploy/gateway.example.yaml: devices[1].passwordHash: placeholder: replace with the output of `gateway hash-password`");

    try (MosquittoBroker city = MosquittoBroker.start(dir)) {
      Path config = Files.writeString(dir.resolve("gateway.yaml"), """
          gatewayId: gw-docs
          dataDir: '%s'
          uplink: {brokerUrl: '%s'}
          """.formatted(dir.resolve("data"), city.url()));
      String run = commands.get(3).replace("/etc/commguard/gateway.yaml", config.toString());
      try (ShellRecipe gateway = ShellRecipe.start(run, repo, dir.resolve("run.out"), null, Map.of())) {
        gateway.awaitOutput("Gateway ready gateway=gw-docs", QUICK);
      }
    }
  }

  /** docs/alert-contract.md: a batch taken off the broker by mosquitto_sub decodes with protoc and the .proto alone. */
  @Test
  void alertContract_mosquittoSubIntoProtoc_decodesABatch() throws Exception {
    Block recipe = DocRecipes.find("docs/alert-contract.md", PROTOC_CHECK);
    try (MosquittoBroker city = MosquittoBroker.start(dir);
        MqttProbe gatewaySide = new MqttProbe(city.url(), "docs-gw");
        ShellRecipe check = ShellRecipe.start(recipe.text().replace("-h BROKER", "-h 127.0.0.1 -p " + city.port()),
            checkoutView(), dir.resolve("protoc.out"), null, Map.of())) {
      byte[] batch = batch("gw-docs", 7).toByteArray();
      // mosquitto_sub takes the first message after it subscribed; publish until it has one.
      await().atMost(QUICK).pollInterval(Duration.ofMillis(300)).until(() -> {
        if (check.alive()) {
          gatewaySide.publish("city/gw-docs/alerts", batch, 1);
        }
        return !check.alive();
      });
      assertThat(check.exitCode(QUICK)).as(check.output()).isZero();
      assertThat(check.output()).contains("gateway_id: \"gw-docs\"", "batch_sequence: 7", "type: GAS_LEAK",
          "device_id: \"gas-3\"");
    }
  }

  /** docs/delivery.md: the reference receiver, plain and over mutual TLS, until it stores an alert. */
  @Test
  void delivery_receiver_storesWhatItReceives() throws Exception {
    List<String> commands = DocRecipes.find("docs/delivery.md", RECEIVER).commands();
    assertThat(commands).hasSize(2);
    try (MosquittoBroker city = MosquittoBroker.start(dir);
        MqttProbe gatewaySide = new MqttProbe(city.url(), "docs-gw")) {
      String plain = commands.get(0).replace("tcp://city-broker:1883", city.url());
      Path view = checkoutView();
      try (ShellRecipe receiver = ShellRecipe.start(plain, view, dir.resolve("receiver.out"), null, Map.of())) {
        receiver.awaitOutput("Receiving $share/", QUICK);
        gatewaySide.publish("city/gw-docs/alerts", batch("gw-docs", 1).toByteArray(), 1);
        receiver.awaitOutput("GAS_LEAK RAISED gw-docs#1 gas-3", QUICK);
      }
      assertThat(view.resolve("alerts.db")).isRegularFile();
    }
    TlsBroker.withMutualTls(dir, (tlsPort, pki) -> {
      String tls = commands.get(1).replace("ssl://city-broker:8883", "ssl://127.0.0.1:" + tlsPort);
      Path view = checkoutView();
      for (String file : List.of("ca.pem", "receiver.pem", "receiver.key")) {
        Files.copy(pki.resolve(file), view.resolve(file));
      }
      try (ShellRecipe receiver = ShellRecipe.start(tls, view, dir.resolve("receiver-tls.out"), null, Map.of())) {
        receiver.awaitOutput("Receiving $share/city-a/", QUICK);
      }
    });
  }

  /** docs/profiles.md: listing and validating profiles, as the guide shows. */
  @Test
  void profiles_listAndValidate() throws Exception {
    Path repo = DocRecipes.repository();
    List<String> list = DocRecipes.find("docs/profiles.md", PROFILES_LIST).commands();
    assertThat(list).containsExactly("gateway profiles list", "gateway profiles list --dir device-profiles");
    Path listed = dir.resolve("list.out");
    assertThat(ShellRecipe.run(list.get(0), repo, listed, null, QUICK)).isZero();
    assertThat(Files.readString(listed)).containsPattern("hikvision-isapi-camera +MQTT +built-in +.*PERIMETER_INTRUSION");
    assertThat(ShellRecipe.run(list.get(1), repo, listed, null, QUICK)).isZero();
    assertThat(Files.readString(listed)).containsPattern("hikvision-isapi-camera +MQTT +dir \\(replaces built-in\\)");

    List<String> site = DocRecipes.find("docs/profiles.md", PROFILES_VALIDATE).commands();
    assertThat(site).hasSize(1);
    Path siteOut = dir.resolve("site.out");
    String siteCheck = site.get(0).replace("/opt/commguard/device-profiles", repo.resolve("device-profiles").toString());
    assertThat(ShellRecipe.run(siteCheck, repo, siteOut, null, QUICK)).isZero();
    assertThat(Files.readString(siteOut)).contains(" profiles valid");

    // The guide's checks after adding a model: the second line, the profile cases test, runs in this build.
    List<String> checks = DocRecipes.find("docs/profiles.md", PROFILE_CHECKS).commands();
    assertThat(checks).containsExactly("gateway profiles validate device-profiles",
        "mvn -q -pl gateway -am test -Dtest=ProfileCasesTest");
    Path validated = dir.resolve("validate.out");
    assertThat(ShellRecipe.run(checks.get(0), repo, validated, null, QUICK)).isZero();
    assertThat(Files.readString(validated)).contains("device-profiles: ").contains(" profiles valid");
  }

  /** docs/admin-api.md: the probes and admin API calls against a running gateway with the API switched on. */
  @Test
  void adminApi_probesAndCalls() throws Exception {
    Block recipe = DocRecipes.find("docs/admin-api.md", ADMIN_API);
    Path token = Files.writeString(dir.resolve("admin.token"), UUID.randomUUID() + "\n");
    int adminPort = FreePort.next();
    try (MosquittoBroker city = MosquittoBroker.start(dir)) {
      Path config = Files.writeString(dir.resolve("gateway.yaml"), """
          gatewayId: gw-docs
          dataDir: '%s'
          uplink: {brokerUrl: '%s'}
          admin: {enabled: true, port: %d, tokenFile: '%s'}
          devices:
            - id: gas-b3-101
              profile: generic-nbiot-gas-detector
              passwordHash: '%s'
              site: {communityCode: '310115001', building: B3}
          """.formatted(dir.resolve("data"), city.url(), adminPort, token,
          PasswordHash.hash("not-used-here".toCharArray())));
      try (GatewayProcess gateway = new GatewayProcess(config).start()) {
        await().atMost(QUICK).until(() -> gateway.logText().contains("Admin API listening"));
        String script = recipe.text().replace("/etc/commguard/admin.token", token.toString())
            .replace("127.0.0.1:8641", "127.0.0.1:" + adminPort)
            .replace("curl -fsS ", "curl ").replace("curl ", "curl -sS --fail-with-body ");
        Path out = dir.resolve("admin.out");
        assertThat(ShellRecipe.run(script, dir, out, null, QUICK)).as(Files.readString(out)).isZero();
        assertThat(Files.readString(out)).contains("{\"status\":\"alive\"}", "\"checks\":{\"outbox\":",
            "\"scope\":\"device:gas-b3-101\"",
            "\"scope\":\"site:310115001/B3\"").doesNotContain("\"error\"");
      }
    }
  }

  private static AlertBatch batch(String gatewayId, long sequence) {
    Alert alert = Alert.newBuilder().setAlertId(UUID.randomUUID().toString()).setGatewayId(gatewayId).setSequence(sequence)
        .setDevice(Device.newBuilder().setDeviceId("gas-3")).setType(AlertType.GAS_LEAK).setLevel(1)
        .setState(AlertState.RAISED).setOccurredAtMs(1_795_000_000_000L).setDetectedAtMs(1_795_000_000_000L).build();
    return AlertBatch.newBuilder().setGatewayId(gatewayId).setBatchSequence(sequence)
        .setSentAtMs(1_795_000_000_000L).addAlerts(alert).build();
  }

  /** A fresh folder that looks like the checkout to a recipe (gateway/ links to it) and keeps what the recipe writes. */
  private Path checkoutView() throws Exception {
    Path view = Files.createTempDirectory(dir, "checkout-");
    Files.createSymbolicLink(view.resolve("gateway"), DocRecipes.repository().resolve("gateway"));
    return view;
  }
}
