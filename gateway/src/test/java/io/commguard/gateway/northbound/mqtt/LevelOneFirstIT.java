package io.commguard.gateway.northbound.mqtt;

import static io.commguard.gateway.outbox.Drafts.alarm;
import static io.commguard.gateway.outbox.Drafts.telemetry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertBatch;
import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.config.UplinkConfig;
import io.commguard.gateway.config.UplinkConfig.AckMode;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.northbound.Delivery;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.Protoc;
import io.commguard.gateway.wire.Acks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fire alarm during the drain after an outage, over a real Mosquitto to a slow city that
 * acknowledges each batch only after a while: it is sent ahead of the backlog, overtaking all but
 * what was already in flight, and nothing of the backlog is lost or reordered per device. The city's
 * bytes are read by Debian {@code protoc}.
 */
class LevelOneFirstIT {
  private static final String GATEWAY = "gw-storm";
  private static final int BACKLOG = 20_000;
  private static final int BATCH = 50;
  private static final int WINDOW = 4;
  private static final Pattern ALERT_ID = Pattern.compile("alert_id: \"([^\"]+)\"");

  @TempDir Path dir;

  /** The city: records every batch in arrival order and acknowledges it after {@code ackDelayMs}. */
  private static final class SlowCity implements MqttCallback, AutoCloseable {
    final List<byte[]> batches = new CopyOnWriteArrayList<>();
    final List<Alert> alerts = new CopyOnWriteArrayList<>();
    volatile long ackDelayMs = 40;
    private final ScheduledExecutorService acker = Executors.newSingleThreadScheduledExecutor();
    private final MqttClient client;

    SlowCity(String url) throws MqttException {
      client = new MqttClient(url, "slow-city", new MemoryPersistence());
      client.setCallback(this);
      client.connect();
      client.subscribe("city/" + GATEWAY + "/alerts", 1);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
      AlertBatch batch = AlertBatch.parseFrom(message.getPayload());
      batches.add(message.getPayload());
      alerts.addAll(batch.getAlertsList());
      acker.schedule(() -> {
        try {
          client.publish("city/" + GATEWAY + "/acks", Acks.forBatch(batch), 1, false);
        } catch (MqttException e) {
          // not acknowledged: the gateway resends after its deadline
        }
      }, ackDelayMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
      acker.shutdownNow();
      client.disconnect();
      client.close();
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }

  @Test
  void fireAlarmDuringADrain_overtakesTheBacklog_whichStillArrivesWhole_inEachDevicesOrder() throws Exception {
    Counters counters = new Counters();
    try (MosquittoBroker broker = MosquittoBroker.start(dir)) {
      SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir.resolve("gw"), GATEWAY, counters);
      outbox.start(List.of(MqttNorthbound.NAME));
      Delivery uplink = MqttNorthbound.uplink(MqttNorthbound.NAME,
          new UplinkConfig(broker.url(), null, null, null, null, null, AckMode.PLATFORM, BATCH, 5, 30_000, WINDOW, null),
          GATEWAY).delivery(GATEWAY, outbox, counters);
      broker.stop();
      uplink.start();
      try {
        // The outage: level-3 alarms and level-4 readings of 40 devices pile up.
        List<CompletableFuture<Void>> stored = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i += 100) {
          List<AlertDraft> drafts = new ArrayList<>();
          for (int k = i; k < i + 100; k++) {
            String device = "dev-" + k % 40;
            drafts.add(k % 2 == 0 ? alarm(device, CanonicalType.FIRE_LANE_BLOCKED, 3) : telemetry(device));
          }
          stored.add(outbox.append(drafts).toCompletableFuture());
        }
        CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).join();

        broker.start();
        try (SlowCity city = new SlowCity(broker.url())) {
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
              .until(() -> city.alerts.size() >= 1_000);

          AlertDraft fire = alarm("smoke-1", CanonicalType.FIRE_SMOKE, 1);
          outbox.append(List.of(fire)).toCompletableFuture().join();
          int arrivedAtCommit = city.alerts.size();

          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
              .until(() -> city.alerts.stream().anyMatch(a -> a.getAlertId().equals(fire.alertId())));
          int firePosition = positionOf(city.alerts, fire.alertId());
          assertThat(firePosition - arrivedAtCommit)
              .as("backlog alerts arriving between the fire alarm's commit and the fire alarm: only what was in flight")
              .isLessThanOrEqualTo(WINDOW * BATCH);
          assertThat(firePosition).as("the fire alarm arrives with most of the backlog still to come")
              .isLessThan(BACKLOG / 2);

          byte[] fireBatch = city.batches.stream()
              .filter(b -> alertIds(b).contains(fire.alertId()))
              .findFirst().orElseThrow();
          String text = Protoc.decode("AlertBatch", fireBatch, dir);
          Matcher first = ALERT_ID.matcher(text);
          assertThat(first.find()).isTrue();
          assertThat(first.group(1)).as("the first alert of its batch, read by protoc").isEqualTo(fire.alertId());
          assertThat(text).contains("gateway_id: \"" + GATEWAY + "\"").contains("type: FIRE_SMOKE").contains("level: 1");

          city.ackDelayMs = 0;
          await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
              .until(() -> outbox.stats().toCompletableFuture().join().pendingRows() == 0);
          assertEveryAlertOnce_inEachDevicesOrder(city.alerts, BACKLOG + 1);
        }
      } finally {
        uplink.stop();
        outbox.close();
      }
    }
  }

  private static int positionOf(List<Alert> alerts, String alertId) {
    for (int i = 0; i < alerts.size(); i++) {
      if (alerts.get(i).getAlertId().equals(alertId)) {
        return i;
      }
    }
    throw new AssertionError("not received: " + alertId);
  }

  private static Set<String> alertIds(byte[] batch) {
    try {
      Set<String> ids = new HashSet<>();
      AlertBatch.parseFrom(batch).getAlertsList().forEach(a -> ids.add(a.getAlertId()));
      return ids;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** Every sequence arrived; each device's alerts first arrived in the order they were committed. */
  private static void assertEveryAlertOnce_inEachDevicesOrder(List<Alert> arrivals, int expected) {
    Set<Long> seen = new HashSet<>();
    Map<String, Long> lastOfDevice = new HashMap<>();
    AtomicInteger outOfOrder = new AtomicInteger();
    for (Alert a : arrivals) {
      if (!seen.add(a.getSequence())) {
        continue;
      }
      Long last = lastOfDevice.put(a.getDevice().getDeviceId(), a.getSequence());
      if (last != null && last > a.getSequence()) {
        outOfOrder.incrementAndGet();
      }
    }
    assertThat(seen).as("distinct alerts received").hasSize(expected);
    assertThat(outOfOrder.get()).as("alerts that arrived before an earlier alert of their device").isZero();
  }
}
