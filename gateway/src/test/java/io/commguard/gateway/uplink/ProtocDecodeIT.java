package io.commguard.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.config.UplinkConfig;
import io.commguard.gateway.config.UplinkConfig.AckMode;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Evidence;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.MqttProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent check of the contract: the bytes the uplink publishes are decoded by Debian's
 * {@code protoc --decode} from the .proto file alone, not by the Java classes generated from it.
 */
class ProtocDecodeIT {
  @TempDir Path dir;

  @Test
  void uplinkBytes_decodeWithProtoc_asAlertBatch() throws Exception {
    Path protoDir = Path.of(System.getProperty("proto.dir", "src/main/proto"));
    try (MosquittoBroker broker = MosquittoBroker.start(dir)) {
      MqttProbe raw = new MqttProbe(broker.url(), "raw-capture").subscribe("city/+/alerts");

      Counters counters = new Counters();
      SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir.resolve("gw"), "gw-310115-0042", counters);
      outbox.start();
      MqttUplink uplink = new MqttUplink(new UplinkConfig(broker.url(), null, null, null, null, null, AckMode.BROKER,
          null, null, null, null, null), "gw-310115-0042", outbox, counters);
      uplink.start();
      try {
        Site site = new Site("310115001", "G-07", "B3", "2", "5", "502");
        AlertDraft fire = new AlertDraft("a1b2c3", new DeviceRef("cam-lobby-1", "hikvision-isapi-camera", "DS-2CD",
            site, "B3 lobby"), EventKind.ALARM, CanonicalType.FIRE_SMOKE, 1, AlertState.RAISED, "smokeDetection",
            Instant.ofEpochMilli(1_795_000_000_000L), Instant.ofEpochMilli(1_795_000_000_250L),
            List.of(new Measurement("confidence", 0.93, "ratio")), List.of(new Evidence("image", "nvr://ch1/pic/881")),
            Map.of("channel", "1"), "Smoke detected in lobby");
        outbox.append(List.of(fire)).toCompletableFuture().join();

        await().atMost(Duration.ofSeconds(20)).until(() -> !raw.messages().isEmpty());
      } finally {
        uplink.stop();
        outbox.close();
        raw.close();
      }

      Path bytes = dir.resolve("batch.bin");
      Files.write(bytes, raw.messages().get(0));
      Process protoc = new ProcessBuilder("protoc", "--decode=commguard.alert.v1.AlertBatch",
          "--proto_path=" + protoDir, "commguard/alert/v1/alert.proto")
          .redirectInput(bytes.toFile())
          .redirectErrorStream(true)
          .start();
      assertThat(protoc.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String text = new String(protoc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(protoc.exitValue()).as(text).isZero();

      assertThat(text)
          .contains("gateway_id: \"gw-310115-0042\"")
          .containsPattern("batch_sequence: \\d+")
          .containsPattern("sent_at_ms: \\d+")
          .contains("alert_id: \"a1b2c3\"")
          .contains("sequence: 1")
          .contains("community_code: \"310115001\"")
          .contains("grid_cell: \"G-07\"")
          .contains("device_id: \"cam-lobby-1\"")
          .contains("type: FIRE_SMOKE")
          .contains("level: 1")
          .contains("state: RAISED")
          .contains("native_code: \"smokeDetection\"")
          .contains("occurred_at_ms: 1795000000000")
          .contains("detected_at_ms: 1795000000250")
          .contains("name: \"confidence\"")
          .contains("ref: \"nvr://ch1/pic/881\"")
          .contains("description: \"Smoke detected in lobby\"")
          .contains("kind: ALARM")
          .contains("key: \"channel\"");
    }
  }
}
