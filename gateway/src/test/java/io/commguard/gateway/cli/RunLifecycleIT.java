package io.commguard.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged gateway as a service manager sees it: one instance per data dir, signals, exit status. */
class RunLifecycleIT {
  private static final Duration START = Duration.ofSeconds(60);
  /** A log line's time: local time with its offset, never a bare "Z" on local time. */
  private static final Pattern LOG_TIME = Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} ");

  @TempDir
  Path dir;

  @Test
  void secondInstanceRefused_hangupKeepsRunning_termExitsZeroWithOneStopLine() throws Exception {
    try (MosquittoBroker city = MosquittoBroker.start(dir)) {
      Path config = Files.writeString(dir.resolve("gateway.yaml"), """
          gatewayId: gw-lifecycle
          dataDir: %s
          profilesDir: %s
          deviceEndpoint: {enabled: true, host: 127.0.0.1, port: %d}
          uplink: {brokerUrl: '%s'}
          """.formatted(dir.resolve("data"), System.getProperty("profiles.dir", "../device-profiles"), FreePort.next(), city.url()));
      GatewayProcess first = new GatewayProcess(config).start();
      try {
        await().atMost(START).untilAsserted(() -> assertThat(first.logText()).contains("Gateway ready"));

        GatewayProcess second = new GatewayProcess(dir.resolve("gateway.yaml")).start();
        assertThat(second.awaitExit(60)).isEqualTo(2);
        assertThat(second.logText())
            .contains("Refusing to start: data dir " + dir.resolve("data") + " is in use by another gateway (pid "
                + first.pid() + ")")
            .doesNotContain("\tat ");

        // The gateway logs the SIGHUP it handles; where its parent ignores SIGHUP (nohup, some CI
        // runners) the JVM keeps it ignored and nothing is logged. Either way it must keep running.
        first.hangUp();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(first::alive);

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
