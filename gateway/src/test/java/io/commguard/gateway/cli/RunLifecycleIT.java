package io.commguard.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged gateway as a service manager sees it: one instance per data dir, signals (reload, stop), exit status. */
class RunLifecycleIT {
  private static final Duration START = Duration.ofSeconds(60);
  /** A log line's time: local time with its offset, never a bare "Z" on local time. */
  private static final Pattern LOG_TIME = Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} ");

  @TempDir
  Path dir;

  @Test
  void secondInstanceRefused_hangupReloads_termExitsZeroWithOneStopLine() throws Exception {
    try (MosquittoBroker city = MosquittoBroker.start(dir)) {
      int endpointPort = FreePort.next();
      Path config = Files.writeString(dir.resolve("gateway.yaml"), """
          gatewayId: gw-lifecycle
          dataDir: %s
          profilesDir: %s
          deviceEndpoint: {enabled: true, host: 127.0.0.1, port: %d}
          uplink: {brokerUrl: '%s'}
          """.formatted(dir.resolve("data"), System.getProperty("profiles.dir", "../device-profiles"), endpointPort, city.url()));
      GatewayProcess first = new GatewayProcess(config).start();
      try {
        await().atMost(START).untilAsserted(() -> assertThat(first.logText()).contains("Gateway ready"));

        GatewayProcess second = new GatewayProcess(dir.resolve("gateway.yaml")).start();
        assertThat(second.awaitExit(60)).isEqualTo(2);
        assertThat(second.logText())
            .contains("Refusing to start: data dir " + dir.resolve("data") + " is in use by another gateway (pid "
                + first.pid() + ")")
            .doesNotContain("\tat ");

        // SIGHUP re-reads the file: a device added there can log in at once; a broken file changes
        // nothing and the gateway keeps running.
        String password = "reloaded-device-1";
        Files.writeString(config, Files.readString(config) + """
            devices:
              - {id: gas-reloaded, profile: generic-nbiot-gas-detector, passwordHash: '%s'}
            """.formatted(PasswordHash.hash(password.toCharArray())));
        first.hangUp();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(first.logText())
            .contains("Reload applied file=" + config + " devices added=1 updated=0 removed=0"));
        MqttClient device = new MqttClient("tcp://127.0.0.1:" + endpointPort, "gas-reloaded", new MemoryPersistence());
        MqttConnectionOptions login = new MqttConnectionOptions();
        login.setUserName("gas-reloaded");
        login.setPassword(password.getBytes(StandardCharsets.UTF_8));
        device.connect(login);
        device.disconnect();
        device.close();

        Files.writeString(config, Files.readString(config).replace("profile: generic-nbiot-gas-detector", "profile: no-such-model"));
        first.hangUp();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(first.logText())
            .contains("Reload refused, the gateway keeps its running config:")
            .contains("devices[0].profile: no profile with id 'no-such-model'"));
        assertThat(first.alive()).isTrue();
        Files.writeString(config, Files.readString(config).replace("profile: no-such-model", "profile: generic-nbiot-gas-detector"));

        assertThat(first.stop()).isZero();
        String log = first.logText();
        assertThat(log).containsOnlyOnce("Gateway stopped signal=SIGTERM");
        assertThat(LOG_TIME.matcher(log).find()).as("log time with offset in:%n%s", log).isTrue();

        GatewayProcess again = new GatewayProcess(config).start();
        try {
          await().atMost(START).untilAsserted(() ->
              assertThat(again.logText().lines().filter(l -> l.contains("Gateway ready"))).hasSize(2));
        } finally {
          assertThat(again.stop()).isZero();
        }
      } finally {
        first.stop();
      }
    }
  }
}
