package io.commguard.gateway.northbound.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.config.UplinkConfig;
import io.commguard.gateway.config.UplinkConfig.AckMode;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.northbound.Delivery;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.receiver.CityReceiver;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.MqttProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two northbounds at once over one outbox: the MQTT uplink and a second MQTT uplink ("backup") to
 * another city broker, each with its own receiver. Both deliver every alert; while the backup's
 * broker is down the uplink keeps delivering, and the backup catches up with no loss from its own
 * cursor once its broker returns. What each broker carried is decoded by Debian's {@code protoc}.
 */
class TwoNorthboundsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern ALERT_ID = Pattern.compile("alert_id: \"([^\"]+)\"");

  @TempDir Path dir;

  @Test
  void twoNorthbounds_deliverTheSameAlerts_andOneCatchesUpAfterItsBrokerWasDown() throws Exception {
    Counters counters = new Counters();
    Path cityDir = Files.createDirectories(dir.resolve("city"));
    Path backupDir = Files.createDirectories(dir.resolve("backup"));
    MosquittoBroker city = MosquittoBroker.start(cityDir);
    MosquittoBroker backup = MosquittoBroker.start(backupDir);
    Set<String> atCity = ConcurrentHashMap.newKeySet();
    Set<String> atBackup = ConcurrentHashMap.newKeySet();
    CityReceiver cityReceiver = new CityReceiver(CityReceiver.Options.of(city.url(), cityDir.resolve("received.db")),
        a -> atCity.add(a.getAlertId()));
    CityReceiver backupReceiver = new CityReceiver(CityReceiver.Options.of(backup.url(),
        backupDir.resolve("received.db")), a -> atBackup.add(a.getAlertId()));
    MqttProbe cityWire = new MqttProbe(city.url(), "city-wire").subscribe("city/+/alerts");
    List<MqttProbe> backupWire = new ArrayList<>(List.of(new MqttProbe(backup.url(), "backup-wire-1")
        .subscribe("city/+/alerts")));
    SqliteOutbox outbox = UplinkFixture.outbox(dir.resolve("gw"), "gw-two", counters, MqttNorthbound.NAME, "backup");
    Delivery uplink = null;
    Delivery second = null;
    try {
      cityReceiver.start();
      backupReceiver.start();
      uplink = UplinkFixture.start(MqttNorthbound.NAME, uplinkConfig(city), "gw-two", outbox, counters);
      second = UplinkFixture.start("backup", uplinkConfig(backup), "gw-two", outbox, counters);

      List<String> before = UplinkFixture.appendMix(outbox, 100);
      await().atMost(WAIT).until(() -> atCity.containsAll(before) && atBackup.containsAll(before));
      await().atMost(WAIT).until(() -> UplinkFixture.pending(outbox) == 0);

      backup.stop();
      await().atMost(WAIT).until(() -> counters.get("backup_connection_lost") > 0);
      List<String> during = UplinkFixture.appendMix(outbox, 300);
      await().atMost(WAIT).until(() -> atCity.containsAll(during));
      assertThat(atBackup).as("the backup's broker is down").doesNotContainAnyElementsOf(during);
      assertThat(UplinkFixture.pending(outbox))
          .as("delivered by the uplink, still owed to the backup").isEqualTo(during.size());
      long uplinkAcked = counters.get("uplink_alerts_acked");

      backup.start();
      // Subscribed before the receiver's reconnect (1-2 s), so it sees every batch the receiver acknowledges.
      backupWire.add(new MqttProbe(backup.url(), "backup-wire-2").subscribe("city/+/alerts"));
      await().atMost(WAIT).until(() -> atBackup.containsAll(during));
      await().atMost(WAIT).until(() -> UplinkFixture.pending(outbox) == 0);

      assertThat(counters.get("uplink_alerts_acked")).as("the uplink sent nothing again for the backup's sake")
          .isEqualTo(uplinkAcked);
      assertThat(counters.get("backup_alerts_acked")).isGreaterThanOrEqualTo(before.size() + during.size());
      assertThat(outbox.stats().toCompletableFuture().join().historyRows()).isEqualTo(before.size() + during.size());
      List<String> all = new ArrayList<>(before);
      all.addAll(during);
      assertThat(atCity).containsAll(all);
      assertThat(atBackup).containsAll(all);
      assertThat(protocAlertIds(cityWire.messages())).as("the city broker's bytes, decoded by protoc").containsAll(all);
      assertThat(protocAlertIds(backupWire.get(1).messages())).as("the backup broker's catch-up, decoded by protoc")
          .containsAll(during);
    } finally {
      if (second != null) {
        second.stop();
      }
      if (uplink != null) {
        uplink.stop();
      }
      outbox.close();
      cityReceiver.close();
      backupReceiver.close();
      cityWire.close();
      for (MqttProbe p : backupWire) {
        closeQuietly(p);
      }
      city.stop();
      backup.stop();
    }
  }

  private static UplinkConfig uplinkConfig(MosquittoBroker broker) {
    return UplinkFixture.config(broker.url(), AckMode.PLATFORM, 2000, Map.of());
  }

  private Set<String> protocAlertIds(List<byte[]> batches) throws Exception {
    Set<String> ids = new HashSet<>();
    Path protoDir = Path.of(System.getProperty("proto.dir", "src/main/proto"));
    Path bytes = dir.resolve("batch.bin");
    for (byte[] batch : batches) {
      Files.write(bytes, batch);
      Process protoc = new ProcessBuilder("protoc", "--decode=commguard.alert.v1.AlertBatch",
          "--proto_path=" + protoDir, "commguard/alert/v1/alert.proto")
          .redirectInput(bytes.toFile())
          .redirectErrorStream(true)
          .start();
      String text = new String(protoc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(protoc.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(protoc.exitValue()).as(text).isZero();
      assertThat(text).contains("gateway_id: \"gw-two\"");
      Matcher m = ALERT_ID.matcher(text);
      while (m.find()) {
        ids.add(m.group(1));
      }
    }
    return ids;
  }

  private static void closeQuietly(MqttProbe probe) {
    try {
      probe.close();
    } catch (Exception e) {
      // The first probe's broker went away under it; nothing left to close.
    }
  }
}
