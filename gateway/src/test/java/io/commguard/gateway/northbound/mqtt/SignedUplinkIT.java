package io.commguard.gateway.northbound.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.AlertBatch;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.config.UplinkConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.northbound.Delivery;
import io.commguard.gateway.outbox.Drafts;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.receiver.CityReceiver;
import io.commguard.gateway.security.HmacKey;
import io.commguard.gateway.testsupport.Protoc;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.MqttProbe;
import io.commguard.gateway.wire.AlertEncoder;
import io.commguard.gateway.wire.Seal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed batches end to end, on a real Mosquitto: the gateway signs with {@code uplink.hmacKeyFile},
 * the reference receiver holding the key stores and acknowledges them, {@code protoc} decodes the
 * signed bytes from the .proto alone, and an attacker who can publish on the alert topic gets
 * nothing stored by replaying, changing, stripping or re-signing a batch. The signing sequence
 * continues above itself when the uplink is started again.
 */
class SignedUplinkIT {
  private static final String GATEWAY = "gw-signed";
  private static final Duration QUICK = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void signedBatches_verified_attacksRefusedAndCounted_sequenceSurvivesRestart() throws Exception {
    Path keyFile = dir.resolve("uplink-hmac.key");
    Files.write(keyFile, "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    HmacKey key = HmacKey.load(keyFile);
    MosquittoBroker broker = MosquittoBroker.start(dir);
    GatewayConfig config = new GatewayConfig(GATEWAY, dir.resolve("gw").toString(), null, List.of(),
        new UplinkConfig(broker.url(), null, null, null, null, null, null, 50, 5, 2_000, 4, null, null,
            keyFile.toString(), null, 0), null, null, null);
    Files.createDirectories(dir.resolve("gw"));
    Counters counters = new Counters();
    SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir.resolve("gw"), GATEWAY, counters);
    outbox.start(List.of(MqttNorthbound.NAME));
    Path received = dir.resolve("received.db");
    CityReceiver receiver = new CityReceiver(new CityReceiver.Options(broker.url(), null, null, null, null, null,
        received, null, null, null, List.of(GATEWAY + "=" + keyFile)), a -> {});
    MqttProbe raw = new MqttProbe(broker.url(), "raw-capture").subscribe("city/+/alerts");
    MqttProbe attacker = new MqttProbe(broker.url(), "attacker");
    Delivery uplink = delivery(config, outbox, counters);
    try {
      receiver.start();
      uplink.start();
      outbox.append(List.of(Drafts.alarm("gas-1", CanonicalType.GAS_LEAK, 1), Drafts.alarm("gas-2",
          CanonicalType.GAS_LEAK, 2))).toCompletableFuture().join();
      await().atMost(QUICK).pollInterval(Duration.ofMillis(50))
          .until(() -> outbox.stats().toCompletableFuture().join().pendingRows() == 0);
      assertThat(receiver.stats().stored()).isEqualTo(2);
      byte[] genuine = raw.messages().get(0);

      String decoded = protocDecode(genuine);
      assertThat(decoded).contains("gateway_id: \"" + GATEWAY + "\"", "hmac_key_id: \"" + key.id() + "\"")
          .containsPattern("hmac_sequence: \\d+").containsPattern("hmac: \"[^\"]+\"");
      long firstSequence = sequence(decoded);

      // The attacks, each published on the gateway's alert topic.
      byte[] changedMac = genuine.clone();
      changedMac[changedMac.length - 1] ^= 0x01;
      byte[] forgedAlert = AlertEncoder.encode(Drafts.alarm("gas-9", CanonicalType.GAS_LEAK, 1), 999, GATEWAY)
          .toByteArray();
      byte[] unsigned = AlertEncoder.batch(GATEWAY, 1, 1, List.of(forgedAlert));
      byte[] otherKey = Seal.seal(Seal.ALERT_BATCH, unsigned, HmacKey.of(new byte[32]), Long.MAX_VALUE);
      Map<String, byte[]> attacks = Map.of("replayed", genuine, "bad_signature", changedMac, "unsigned", unsigned,
          "unknown_key", otherKey);
      for (byte[] payload : attacks.values()) {
        attacker.publish("city/" + GATEWAY + "/alerts", payload, 1);
      }
      await().atMost(QUICK).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
        CityReceiver.Stats s = receiver.stats();
        attacks.keySet().forEach(reason -> assertThat(s.refused(reason)).as(reason).isEqualTo(1));
      });
      assertThat(receiver.stats().stored()).isEqualTo(2);

      // Started again (as after a restart): the sequence goes on above the last one.
      uplink.stop();
      uplink = delivery(config, outbox, counters);
      uplink.start();
      outbox.append(List.of(Drafts.alarm("gas-3", CanonicalType.GAS_LEAK, 1))).toCompletableFuture().join();
      await().atMost(QUICK).pollInterval(Duration.ofMillis(50)).until(() -> receiver.stats().stored() == 3);
      long afterRestart = 0;
      for (byte[] m : raw.messages()) {
        AlertBatch b = AlertBatch.parseFrom(m);
        if (b.getAlertsList().stream().anyMatch(a -> a.getDevice().getDeviceId().equals("gas-3"))) {
          afterRestart = b.getHmacSequence();
        }
      }
      assertThat(afterRestart).isGreaterThan(firstSequence);
      assertThat(Files.readString(dir.resolve("gw").resolve(MqttNorthbound.SEQUENCE_FILE)).strip())
          .satisfies(ceiling -> assertThat(Long.parseUnsignedLong(ceiling)).isGreaterThan(lastSent(raw, key.id())));
    } finally {
      uplink.stop();
      receiver.close();
      outbox.close();
      raw.close();
      attacker.close();
      broker.close();
    }
    try (var conn = DriverManager.getConnection("jdbc:sqlite:" + received);
        ResultSet rs = conn.createStatement().executeQuery("SELECT group_concat(device_id) FROM alerts ORDER BY device_id")) {
      assertThat(rs.getString(1)).doesNotContain("gas-9");
    }
  }

  private static Delivery delivery(GatewayConfig config, SqliteOutbox outbox, Counters counters) {
    return new MqttNorthbound().configured(config).get(0).delivery(GATEWAY, outbox, counters);
  }

  /** The highest sequence the gateway signed (the attacker's messages carry other keys or none). */
  private static long lastSent(MqttProbe raw, String keyId) throws Exception {
    long max = 0;
    for (byte[] m : raw.messages()) {
      AlertBatch b = AlertBatch.parseFrom(m);
      if (b.getHmacKeyId().equals(keyId)) {
        max = Math.max(max, b.getHmacSequence());
      }
    }
    return max;
  }

  private static long sequence(String decoded) {
    Matcher m = Pattern.compile("hmac_sequence: (\\d+)").matcher(decoded);
    assertThat(m.find()).isTrue();
    return Long.parseUnsignedLong(m.group(1));
  }

  private String protocDecode(byte[] batch) throws Exception {
    return Protoc.decode("AlertBatch", batch, dir);
  }
}
