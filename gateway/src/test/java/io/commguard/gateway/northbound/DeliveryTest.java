package io.commguard.gateway.northbound;

import static io.commguard.gateway.outbox.Drafts.alarm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.AlertBatch;
import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.wire.Acks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery logic over a test-only transport (no network): what it publishes, what an
 * acknowledgement settles, and how it treats a connection that never becomes ready or goes away.
 * The outbox is a real SQLite file.
 */
class DeliveryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final Counters counters = new Counters();
  private SqliteOutbox outbox;
  private Delivery delivery;

  /** Records what it is asked to do; the test plays the peer through the session it was given. */
  private static final class TestTransport implements Transport {
    final List<AlertBatch> published = new CopyOnWriteArrayList<>();
    final AtomicInteger connects = new AtomicInteger();
    volatile boolean ready = true;
    volatile boolean up;
    volatile Session session;
    volatile Runnable blockConnect = () -> { };

    @Override
    public String endpoint() {
      return "test://peer";
    }

    @Override
    public CompletionStage<Void> connect(Session s) {
      connects.incrementAndGet();
      blockConnect.run();
      session = s;
      if (!ready) {
        return new CompletableFuture<>(); // a peer that swallows the connect
      }
      up = true;
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> publish(byte[] batch) {
      try {
        published.add(AlertBatch.parseFrom(batch));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean connected() {
      return up;
    }

    @Override
    public void drop() {
      up = false;
    }

    @Override
    public void close() {
      up = false;
    }

    long sends(String alertId) {
      return published.stream().flatMap(b -> b.getAlertsList().stream()).filter(a -> a.getAlertId().equals(alertId))
          .count();
    }
  }

  private TestTransport start(boolean platformAcks, int connectTimeoutMs) {
    return start(platformAcks, connectTimeoutMs, 5);
  }

  private TestTransport start(boolean platformAcks, int connectTimeoutMs, int batchMaxDelayMs) {
    outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir, "gw-test", counters);
    outbox.start(List.of("test"));
    TestTransport transport = new TestTransport();
    DeliveryOptions options = new DeliveryOptions(50, batchMaxDelayMs, 4,
        Map.of(1, 60_000, 2, 60_000, 3, 60_000, 4, 60_000), connectTimeoutMs, platformAcks);
    delivery = new Northbound("test", options, transport).delivery("gw-test", outbox, counters);
    return transport;
  }

  @AfterEach
  void stop() {
    if (delivery != null) {
      delivery.stop();
    }
    if (outbox != null) {
      outbox.close();
    }
  }

  private long pending() {
    return outbox.stats().toCompletableFuture().join().pendingRows();
  }

  @Test
  void platformAck_namingItsBatch_settlesTheAlerts_whileUnackedOnesStay() {
    TestTransport transport = start(true, 5000);
    delivery.start();
    AlertDraft fire = alarm("smoke-1", CanonicalType.FIRE_SMOKE, 1);
    outbox.append(List.of(fire)).toCompletableFuture().join();
    await().atMost(WAIT).until(() -> transport.sends(fire.alertId()) == 1);
    assertThat(pending()).as("published is not delivered").isEqualTo(1);

    AlertBatch batch = transport.published.get(0);
    transport.session.ackReceived(Acks.forBatch(batch));

    await().atMost(WAIT).until(() -> pending() == 0);
    assertThat(counters.get("test_alerts_acked")).isEqualTo(1);
    assertThat(delivery.healthy()).isTrue();
  }

  @Test
  void lowerLevelAlert_onAnIdleLink_goesAtOnce_butWaitsForItsBatchWhileAnotherIsUnacknowledged() {
    TestTransport transport = start(true, 5000, 600_000);
    delivery.start();
    AlertDraft first = alarm("cam-1", CanonicalType.PERIMETER_INTRUSION, 3);
    outbox.append(List.of(first)).toCompletableFuture().join();
    await().atMost(WAIT).until(() -> transport.sends(first.alertId()) == 1);

    AlertDraft second = alarm("cam-2", CanonicalType.PERIMETER_INTRUSION, 3);
    outbox.append(List.of(second)).toCompletableFuture().join();
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> transport.sends(second.alertId()) == 0);

    transport.session.ackReceived(Acks.forBatch(transport.published.get(0)));
    await().atMost(WAIT).until(() -> transport.sends(second.alertId()) == 1);
  }

  @Test
  void ackForAnotherGateway_settlesNothing() {
    TestTransport transport = start(true, 5000);
    delivery.start();
    outbox.append(List.of(alarm("smoke-1", CanonicalType.FIRE_SMOKE, 1))).toCompletableFuture().join();
    await().atMost(WAIT).until(() -> !transport.published.isEmpty());

    transport.session.ackReceived(Acks.forBatch(transport.published.get(0).toBuilder().setGatewayId("gw-other")
        .build()));
    transport.session.ackReceived(new byte[] {(byte) 0xff, 0x01});

    await().atMost(WAIT).until(() -> counters.total("test_ack_foreign") == 1 && counters.total("test_bad_ack") == 1);
    assertThat(pending()).isEqualTo(1);
  }

  @Test
  void withoutPlatformAcks_theTransportTakingTheBatch_delivers() {
    TestTransport transport = start(false, 5000);
    delivery.start();
    outbox.append(List.of(alarm("smoke-1", CanonicalType.FIRE_SMOKE, 1))).toCompletableFuture().join();

    await().atMost(WAIT).until(() -> pending() == 0);
    assertThat(transport.published).hasSize(1);
  }

  @Test
  void lostConnection_givesTheBatchBack_andItIsSentAgainAfterReconnecting() {
    TestTransport transport = start(true, 5000);
    delivery.start();
    AlertDraft fire = alarm("smoke-1", CanonicalType.FIRE_SMOKE, 1);
    outbox.append(List.of(fire)).toCompletableFuture().join();
    await().atMost(WAIT).until(() -> transport.sends(fire.alertId()) == 1);

    transport.up = false;
    transport.session.lost("peer went away");

    await().atMost(WAIT).until(() -> transport.connects.get() == 2 && transport.sends(fire.alertId()) == 2);
    assertThat(counters.get("test_connection_lost")).isEqualTo(1);
    assertThat(pending()).isEqualTo(1);
  }

  @Test
  void stopWhileTheFirstConnectIsUnderWay_endsCleanly() throws Exception {
    TestTransport transport = start(true, 5_000);
    CountDownLatch connecting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    transport.blockConnect = () -> {
      connecting.countDown();
      await().atMost(WAIT).until(() -> release.getCount() == 0);
    };
    delivery.start();
    assertThat(connecting.await(10, TimeUnit.SECONDS)).isTrue();
    Thread stopper = new Thread(delivery::stop);
    stopper.start();
    await().atMost(WAIT).until(() -> stopper.getState() == Thread.State.TIMED_WAITING);
    release.countDown();
    stopper.join(10_000);

    assertThat(stopper.isAlive()).isFalse();
    assertThat(counters.get("test_internal_error")).isZero();
    delivery = null;
  }

  @Test
  void connectThatNeverBecomesReady_isGivenUpAfterTheTimeout_andRetried() {
    TestTransport transport = start(true, 300);
    transport.ready = false;
    delivery.start();

    await().atMost(WAIT).until(() -> transport.connects.get() >= 2);
    assertThat(counters.get("test_connect_failed")).isGreaterThanOrEqualTo(1);
    assertThat(delivery.healthy()).isFalse();

    transport.ready = true;
    outbox.append(List.of(alarm("smoke-1", CanonicalType.FIRE_SMOKE, 1))).toCompletableFuture().join();
    await().atMost(WAIT).until(() -> !transport.published.isEmpty());
  }
}
