package io.commguard.gateway.northbound.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.config.UplinkConfig;
import io.commguard.gateway.config.UplinkConfig.AckMode;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.northbound.Delivery;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Evidence;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.pipeline.Pipeline;
import io.commguard.gateway.rule.RuleEngine;
import io.commguard.gateway.rule.spec.GatewayRules;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.MqttProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
    try (MosquittoBroker broker = MosquittoBroker.start(dir)) {
      MqttProbe raw = new MqttProbe(broker.url(), "raw-capture").subscribe("city/+/alerts");

      Counters counters = new Counters();
      SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir.resolve("gw"), "gw-310115-0042", counters);
      outbox.start(List.of("uplink"));
      Delivery uplink = MqttNorthbound.uplink(MqttNorthbound.NAME, new UplinkConfig(broker.url(), null, null, null, null, null, AckMode.BROKER,
          null, null, null, null, null), "gw-310115-0042").delivery("gw-310115-0042", outbox, counters);
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

      String text = protocDecode(raw.messages().get(0));

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

  /**
   * Clean air is a reading, not a missing one: a gas sensor's 0 %LEL, forwarded by the rules as
   * its first reading, committed to the outbox and published, reaches the city with the value 0
   * present (proto3 field presence), beside a measurement whose value is not known.
   */
  @Test
  void zeroReading_isPresentInTheBytes_decodedByProtoc() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start(dir)) {
      MqttProbe raw = new MqttProbe(broker.url(), "raw-capture").subscribe("city/+/alerts");
      Counters counters = new Counters();
      Site site = new Site("310115001", "G-07", "B3", "2", "1", "101");
      GatewayConfig config = new GatewayConfig("gw-zero", dir.toString(), null,
          List.of(new DeviceConfig("gas-b3-101", "generic-reading-decimals-sensor", null, site, "Kitchen 101")),
          null, null, null, null);
      SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir.resolve("gw"), "gw-zero", counters);
      outbox.start(List.of("uplink"));
      RuleEngine engine = RuleEngine.open(config, config.devices(), GatewayRules.NONE, Map.of(), outbox.ruleState(), Clock.systemUTC(),
          counters);
      Delivery uplink = MqttNorthbound.uplink(MqttNorthbound.NAME, new UplinkConfig(broker.url(), null, null, null, null, null, AckMode.BROKER,
          null, null, null, null, null), "gw-zero").delivery("gw-zero", outbox, counters);
      uplink.start();
      try {
        // As the Modbus source reports the simple sensor: 0 %LEL and a reading of a missing probe.
        DeviceRef ref = new DeviceRef("gas-b3-101", "generic-reading-decimals-sensor", "sensor", site, "Kitchen 101");
        new Pipeline(engine, outbox, counters).accept(new DeviceEvent(ref, EventKind.TELEMETRY, CanonicalType.READING,
                4, Phase.PULSE, "", null, Instant.now(), "telemetry",
                List.of(new Measurement("reading", 0.0, "%LEL"), new Measurement("probe2", Double.NaN, "%LEL")),
                List.of(), Map.of(), "Reading"))
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> !raw.messages().isEmpty());
      } finally {
        uplink.stop();
        outbox.close();
        raw.close();
      }

      String text = protocDecode(raw.messages().get(0));
      assertThat(text).contains("type: READING");
      // protoc prints a field only when it is present on the wire.
      assertThat(text.replaceAll("\\s+", " "))
          .contains("measurements { name: \"reading\" value: 0 unit: \"%LEL\" }")
          .contains("measurements { name: \"probe2\" unit: \"%LEL\" }");
    }
  }

  private String protocDecode(byte[] batch) throws Exception {
    Path protoDir = Path.of(System.getProperty("proto.dir", "src/main/proto"));
    Path bytes = dir.resolve("batch.bin");
    Files.write(bytes, batch);
    Process protoc = new ProcessBuilder("protoc", "--decode=commguard.alert.v1.AlertBatch",
        "--proto_path=" + protoDir, "commguard/alert/v1/alert.proto")
        .redirectInput(bytes.toFile())
        .redirectErrorStream(true)
        .start();
    assertThat(protoc.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String text = new String(protoc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(protoc.exitValue()).as(text).isZero();
    return text;
  }
}
