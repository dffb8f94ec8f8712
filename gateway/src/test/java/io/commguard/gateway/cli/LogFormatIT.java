package io.commguard.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code log.format: json} on the packaged gateway, on a box set to China time: every line is one
 * JSON object with the true local time and offset, and neither the admin token, nor a device's
 * password, nor the name a stranger logs in with reaches the log.
 */
class LogFormatIT {
  private static final String TOKEN = "log-it-admin-token-5f1e9c2a";
  private static final String PASSWORD = "Correct-Horse-7731";
  private static final String GUESS = "Wrong-Guess-0815";
  private static final String STRANGER = "Zhang San 310101199001011234\n{\"level\":\"ERROR\"}";

  @TempDir Path dir;

  @Test
  void jsonLines_trueOffset_noSecretsNoPersonalData() throws Exception {
    int endpoint = FreePort.next();
    try (MosquittoBroker city = MosquittoBroker.start(dir)) {
      Path token = Files.writeString(dir.resolve("admin.token"), TOKEN);
      Path config = Files.writeString(dir.resolve("gateway.yaml"), """
          gatewayId: gw-log
          dataDir: '%s'
          deviceEndpoint: {enabled: true, host: 127.0.0.1, port: %d}
          devices:
            - {id: gas-1, profile: generic-nbiot-gas-detector, passwordHash: '%s'}
          uplink: {brokerUrl: '%s'}
          admin: {enabled: true, port: %d, tokenFile: '%s'}
          log: {format: json}
          """.formatted(dir.resolve("data"), endpoint, PasswordHash.hash(PASSWORD.toCharArray()), city.url(),
          FreePort.next(), token));
      GatewayProcess gateway = new GatewayProcess(config, "-Duser.timezone=Asia/Shanghai").start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> gateway.logText().contains("Gateway ready"));
        login(STRANGER, GUESS, endpoint);
        login("gas-1", GUESS, endpoint);
        login("gas-1", PASSWORD, endpoint);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gateway.logText())
            .contains("Refused device connection device=gas-1 reason=bad_credentials"));
      } finally {
        assertThat(gateway.stop()).isZero();
      }
      List<String> lines = gateway.logText().lines().filter(l -> !l.startsWith("=== start")).toList();
      ObjectMapper json = new ObjectMapper();
      assertThat(lines).hasSizeGreaterThan(3).allSatisfy(line -> {
        JsonNode record = json.readTree(line);
        assertThat(record.fieldNames()).toIterable().contains("time", "level", "logger", "thread", "message");
        assertThat(OffsetDateTime.parse(record.get("time").asText()).getOffset().getTotalSeconds())
            .as("China time: +08:00").isEqualTo(8 * 3600);
      });
      assertThat(lines).anySatisfy(l -> assertThat(json.readTree(l).get("message").asText()).startsWith("Gateway ready"));
      assertThat(lines).anySatisfy(l -> assertThat(json.readTree(l).get("message").asText()).startsWith("Gateway stopped"));
      String log = gateway.logText();
      assertThat(log).doesNotContain(TOKEN, PASSWORD, GUESS, "Zhang San", "310101199001011234");
    }
  }

  private static void login(String username, String password, int port) throws MqttException {
    MqttClient device = new MqttClient("tcp://127.0.0.1:" + port, "log-it-" + Math.abs(username.hashCode()),
        new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setUserName(username);
    o.setPassword(password.getBytes(StandardCharsets.UTF_8));
    o.setConnectionTimeout(10);
    try {
      device.connect(o);
      device.disconnect();
    } catch (MqttException refused) {
      // a wrong password or unknown name: refused, as it should be
    } finally {
      device.close(true);
    }
  }
}
