package io.commguard.gateway.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.config.UplinkConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.outbox.Drafts;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.northbound.Delivery;
import io.commguard.gateway.northbound.mqtt.MqttNorthbound;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway receiver} from the packaged jar, as a city engineer runs it. */
class ReceiverCommandIT {
  @TempDir Path dir;

  @Test
  void receiverCommand_storesJsonLines_printsEachAlert_andAcks() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start(dir)) {
      Path out = dir.resolve("alerts.jsonl");
      Path log = dir.resolve("receiver.log");
      Process receiver = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          GatewayProcess.jar().toString(), "receiver", "--broker", broker.url(), "--out", out.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Counters counters = new Counters();
      SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir.resolve("gw"), "gw-cmd", counters);
      Delivery uplink = MqttNorthbound.uplink(MqttNorthbound.NAME, new UplinkConfig(broker.url(), null, null, null, null, null, null, null, null,
          null, null, null), "gw-cmd").delivery("gw-cmd", outbox, counters);
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("Receiving $share/"));
        outbox.start(List.of("uplink"));
        uplink.start();
        for (int i = 0; i < 10; i++) {
          outbox.append(List.of(Drafts.alarm("gas-" + i, CanonicalType.GAS_LEAK, 1))).toCompletableFuture().join();
        }
        await().atMost(Duration.ofSeconds(30))
            .until(() -> outbox.stats().toCompletableFuture().join().pendingRows() == 0);
        assertThat(Files.readAllLines(out)).hasSize(10).allMatch(l -> l.contains("\"gateway_id\":\"gw-cmd\""));
        assertThat(Files.readString(log)).contains(" L1 GAS_LEAK RAISED gw-cmd#1 gas-0 @310115001/G-07");
      } finally {
        uplink.stop();
        outbox.close();
        receiver.destroy();
        receiver.waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(Files.readString(log)).contains("Receiver stopped. batches=", "stored=10", "duplicates=0");
    }
  }
}
