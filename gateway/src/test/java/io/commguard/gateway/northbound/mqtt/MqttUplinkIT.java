package io.commguard.gateway.northbound.mqtt;

import static io.commguard.gateway.outbox.Drafts.alarm;
import static io.commguard.gateway.outbox.Drafts.telemetry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.Ack;
import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertBatch;
import io.commguard.gateway.config.UplinkConfig.AckMode;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.northbound.Delivery;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.receiver.CityReceiver;
import io.commguard.gateway.receiver.CityReceiver.AckPolicy;
import io.commguard.gateway.testsupport.BlackholeProxy;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.MqttProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uplink against a real Mosquitto with the reference receiver on the other side. */
class MqttUplinkIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private MosquittoBroker broker;
  private final Counters counters = new Counters();
  private SqliteOutbox outbox;
  private Delivery uplink;
  private final List<CityReceiver> receivers = new ArrayList<>();
  private final Set<String> receivedIds = ConcurrentHashMap.newKeySet();
  private final List<Alert> arrivalOrder = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startBroker() {
    broker = MosquittoBroker.start(dir);
  }

  @AfterEach
  void stopAll() {
    if (uplink != null) {
      uplink.stop();
    }
    if (outbox != null) {
      outbox.close();
    }
    receivers.forEach(CityReceiver::close);
    broker.stop();
  }

  private void startGateway(AckMode mode, int ackTimeoutMs) {
    startGateway(broker.url(), mode, ackTimeoutMs);
  }

  private void startGateway(String brokerUrl, AckMode mode, int ackTimeoutMs) {
    outbox = UplinkFixture.outbox(dir.resolve("gw"), "gw-it", counters, MqttNorthbound.NAME);
    uplink = UplinkFixture.start(MqttNorthbound.NAME, UplinkFixture.config(brokerUrl, mode, ackTimeoutMs, Map.of()), "gw-it",
        outbox, counters);
  }

  private CityReceiver startReceiver(AckPolicy policy) throws Exception {
    CityReceiver r = new CityReceiver(new CityReceiver.Options(broker.url(), null, null, null, null, policy,
        dir.resolve("received.db"), null, null, null), a -> {
          receivedIds.add(a.getAlertId());
          arrivalOrder.add(a);
        });
    r.start();
    receivers.add(r);
    return r;
  }

  private List<String> appendMix(int n) {
    return UplinkFixture.appendMix(outbox, n);
  }

  private long pending() {
    return UplinkFixture.pending(outbox);
  }

  @Test
  void ackDeadlines_perLevel_aLevel1BatchIsResentAfterItsDeadline_whileALevel3BatchStillWaits() throws Exception {
    io.commguard.gateway.testsupport.MqttProbe probe =
        new io.commguard.gateway.testsupport.MqttProbe(broker.url(), "deadline-probe").subscribe("city/+/alerts");
    try {
      outbox = UplinkFixture.outbox(dir.resolve("gw"), "gw-it", counters, MqttNorthbound.NAME);
      // No receiver: nothing is acknowledged, so each batch is resent when its own deadline passes.
      uplink = UplinkFixture.start(MqttNorthbound.NAME, UplinkFixture.config(broker.url(), AckMode.PLATFORM, null,
          Map.of(1, 1000, 3, 20_000)), "gw-it", outbox, counters);

      AlertDraft loitering = alarm("cam-1", CanonicalType.LOITERING, 3);
      outbox.append(List.of(loitering)).toCompletableFuture().join();
      await().atMost(WAIT).until(() -> sends(probe, loitering.alertId()) == 1);
      AlertDraft fire = alarm("smoke-1", CanonicalType.FIRE_SMOKE, 1);
      long appendedAt = System.nanoTime();
      outbox.append(List.of(fire)).toCompletableFuture().join();

      await().atMost(WAIT).until(() -> sends(probe, fire.alertId()) >= 2);
      assertThat(Duration.ofNanos(System.nanoTime() - appendedAt)).as("not before the level-1 deadline")
          .isGreaterThanOrEqualTo(Duration.ofMillis(1000));
      assertThat(sends(probe, loitering.alertId())).as("the level-3 batch is within its 20 s").isEqualTo(1);
      assertThat(counters.get("uplink_ack_timeouts")).isGreaterThanOrEqualTo(1);
    } finally {
      probe.close();
    }
  }

  /** How many published batches carried the alert. */
  private static long sends(io.commguard.gateway.testsupport.MqttProbe probe, String alertId) throws Exception {
    long n = 0;
    for (byte[] m : probe.messages()) {
      n += io.commguard.alert.v1.AlertBatch.parseFrom(m).getAlertsList().stream()
          .filter(a -> a.getAlertId().equals(alertId)).count();
    }
    return n;
  }

  @Test
  void platformAcks_deliverEveryAlert_andEmptyTheOutbox() throws Exception {
    CityReceiver receiver = startReceiver(AckPolicy.PLATFORM);
    startGateway(AckMode.PLATFORM, 5000);

    List<String> ids = appendMix(2000);

    await().atMost(WAIT).until(() -> receivedIds.containsAll(ids) && pending() == 0);
    assertThat(receiver.stats().stored()).isEqualTo(2000);
    assertThat(counters.get("uplink_alerts_acked")).isGreaterThanOrEqualTo(2000);
    assertThat(uplink.healthy()).isTrue();
  }

  @Test
  void brokerAcks_markDeliveredOnPuback() throws Exception {
    CityReceiver receiver = startReceiver(AckPolicy.NONE);
    startGateway(AckMode.BROKER, 5000);

    List<String> ids = appendMix(500);

    await().atMost(WAIT).until(() -> receivedIds.containsAll(ids) && pending() == 0);
    assertThat(receiver.stats().duplicates()).isZero();
  }

  @Test
  void brokerRestart_losesNothing() throws Exception {
    startReceiver(AckPolicy.PLATFORM);
    startGateway(AckMode.PLATFORM, 3000);
    List<String> ids = new ArrayList<>(appendMix(300));
    await().atMost(WAIT).until(() -> pending() == 0);

    broker.stop();
    ids.addAll(appendMix(300));
    assertThat(pending()).isEqualTo(300);
    broker.start();

    await().atMost(WAIT).until(() -> receivedIds.containsAll(ids) && pending() == 0);
  }

  @Test
  void forgedAck_carryingAnotherGatewaysId_removesNothing_andIsCounted() throws Exception {
    CityReceiver silent = startReceiver(AckPolicy.NONE);
    startGateway(AckMode.PLATFORM, 30_000);
    try (MqttProbe attacker = new MqttProbe(broker.url(), "forger").subscribe("city/gw-it/alerts")) {
      AlertDraft fire = alarm("smoke-1", CanonicalType.FIRE_SMOKE, 1);
      outbox.append(List.of(fire)).toCompletableFuture().join();
      await().atMost(WAIT).until(() -> !attacker.messages().isEmpty());
      AlertBatch batch = AlertBatch.parseFrom(attacker.messages().get(0));
      Ack.Builder forged = Ack.newBuilder().addBatchSequences(batch.getBatchSequence()).addAlertIds(fire.alertId());
      batch.getAlertsList().forEach(a -> forged.addAlertSequences(a.getSequence()));
      attacker.publish("city/gw-it/acks", forged.setGatewayId("gw-other").build().toByteArray(), 1);
      attacker.publish("city/gw-it/acks", forged.clearGatewayId().build().toByteArray(), 1);

      await().atMost(WAIT).until(() -> counters.total("uplink_ack_foreign") == 2);
      assertThat(counters.get("uplink_ack_foreign", "gw-it", "other_gateway")).isEqualTo(1);
      assertThat(counters.get("uplink_ack_foreign", "gw-it", "no_gateway_id")).isEqualTo(1);
      assertThat(pending()).as("the level-1 alert stays in the outbox").isEqualTo(1);

      attacker.publish("city/gw-it/acks", forged.setGatewayId("gw-it").build().toByteArray(), 1);
      await().atMost(WAIT).until(() -> pending() == 0);
    } finally {
      silent.close();
      receivers.remove(silent);
    }
  }

  @Test
  void missingPlatformAck_resendsAfterTimeout_thenDrainsWhenAcksCome() throws Exception {
    CityReceiver silent = startReceiver(AckPolicy.NONE);
    startGateway(AckMode.PLATFORM, 500);
    List<String> ids = appendMix(100);

    await().atMost(WAIT).until(() -> silent.stats().duplicates() > 0 && counters.get("uplink_ack_timeouts") > 0);
    assertThat(receivedIds).containsAll(ids);
    assertThat(pending()).isGreaterThanOrEqualTo(100); // plus, after 3 timeouts, the uplink's fault alert
    assertThat(uplink.healthy()).isFalse();

    silent.close();
    receivers.remove(silent);
    int storedBySilent = arrivalOrder.size();
    CityReceiver acking = startReceiver(AckPolicy.PLATFORM);

    await().atMost(WAIT).until(() -> pending() == 0);
    // Every device alert was already stored once; new are only the uplink's own fault alerts.
    assertThat(arrivalOrder.subList(storedBySilent, arrivalOrder.size()))
        .allMatch(a -> a.getNativeCode().equals("uplink_not_delivering"));
    assertThat(acking.stats().duplicates()).isGreaterThanOrEqualTo(100);
  }

  @Test
  void newLevelOneAlarm_overtakesADrainingBacklog() throws Exception {
    startGateway(AckMode.PLATFORM, 5000);
    broker.stop();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      done.add(outbox.append(List.of(telemetry("meter-" + i % 50))).toCompletableFuture());
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
    broker.start();
    startReceiver(AckPolicy.PLATFORM);
    await().atMost(WAIT).until(() -> arrivalOrder.size() > 200);

    AlertDraft fire = alarm("smoke-1", CanonicalType.FIRE_SMOKE, 1);
    outbox.append(List.of(fire)).toCompletableFuture().join();

    await().atMost(WAIT).until(() -> receivedIds.contains(fire.alertId()));
    AtomicLong before = new AtomicLong();
    for (Alert a : arrivalOrder) {
      if (a.getAlertId().equals(fire.alertId())) {
        break;
      }
      before.incrementAndGet();
    }
    assertThat(before.get()).as("alerts received before the fire alarm").isLessThan(5_000);
    await().atMost(WAIT).until(() -> pending() == 0);
    Set<Long> sequences = new HashSet<>();
    arrivalOrder.forEach(a -> sequences.add(a.getSequence()));
    assertThat(sequences).hasSize(5_001);
  }

  @Test
  void halfDeadLink_isDetectedByMissingAcks_reconnects_andDelivers() throws Exception {
    startReceiver(AckPolicy.PLATFORM);
    try (BlackholeProxy proxy = new BlackholeProxy(broker.port())) {
      startGateway(proxy.url(), AckMode.PLATFORM, 500);
      List<String> ids = new ArrayList<>(appendMix(50));
      await().atMost(WAIT).until(() -> pending() == 0);

      proxy.blackhole(true);
      ids.addAll(appendMix(100));
      await().atMost(WAIT).until(() -> counters.get("uplink_transmission_fault") > 0);
      assertThat(uplink.healthy()).isFalse();
      // Plus the uplink's own fault alert, stored just after the fault is counted.
      await().atMost(WAIT).until(() -> pending() == 100 + 1);

      proxy.blackhole(false);
      await().atMost(WAIT).until(() -> receivedIds.containsAll(ids) && pending() == 0);
      assertThat(uplink.healthy()).isTrue();
      await().atMost(WAIT).until(() -> arrivalOrder.stream().filter(a -> a.getNativeCode().equals("uplink_not_delivering"))
          .map(Alert::getState).toList().containsAll(List.of(io.commguard.alert.v1.AlertState.RAISED,
              io.commguard.alert.v1.AlertState.CLEARED)));
    }
  }

  @Test
  void twoReceiversInOneGroup_splitTheBatches_andTogetherGetEverything() throws Exception {
    AtomicLong first = new AtomicLong();
    AtomicLong second = new AtomicLong();
    for (AtomicLong count : List.of(first, second)) {
      CityReceiver r = new CityReceiver(new CityReceiver.Options(broker.url(), null, "city-a", null, null,
          AckPolicy.PLATFORM, dir.resolve("received-" + receivers.size() + ".db"), null, null, null), a -> {
            count.incrementAndGet();
            receivedIds.add(a.getAlertId());
          });
      r.start();
      receivers.add(r);
    }
    startGateway(AckMode.PLATFORM, 5000);

    for (int round = 0; round < 20; round++) {
      appendMix(50);
    }

    await().atMost(WAIT).until(() -> pending() == 0);
    assertThat(first.get()).isPositive();
    assertThat(second.get()).isPositive();
    assertThat(receivedIds).hasSize(1000);
  }
}
