package io.commguard.gateway.northbound.mqtt;

import static io.commguard.gateway.outbox.Drafts.alarm;
import static io.commguard.gateway.outbox.Drafts.telemetry;

import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.config.UplinkConfig;
import io.commguard.gateway.config.UplinkConfig.AckMode;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.northbound.Delivery;
import io.commguard.gateway.outbox.SqliteOutbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the uplink tests share: an outbox on real SQLite files, MQTT northbounds delivering from it
 * with small batches (50 alerts, 5 ms, 4 in flight) so a few hundred alerts make many batches, and
 * a mix of alerts to commit.
 */
final class UplinkFixture {
  private UplinkFixture() {}

  static SqliteOutbox outbox(Path dir, String gatewayId, Counters counters, String... northbounds) {
    SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir, gatewayId, counters);
    outbox.start(List.of(northbounds));
    return outbox;
  }

  /**
   * @param ackTimeoutMs every level's acknowledgement deadline, or null for the defaults
   * @param byLevel deadlines per level over {@code ackTimeoutMs}, or an empty map
   */
  static UplinkConfig config(String brokerUrl, AckMode mode, Integer ackTimeoutMs, Map<Integer, Integer> byLevel) {
    return new UplinkConfig(brokerUrl, null, null, null, null, null, mode, 50, 5, ackTimeoutMs, 4, null, byLevel);
  }

  /** The northbound {@code name} delivering {@code outbox}'s alerts per {@code config}, started. */
  static Delivery start(String name, UplinkConfig config, String gatewayId, SqliteOutbox outbox, Counters counters) {
    Delivery delivery = MqttNorthbound.uplink(name, config, gatewayId).delivery(gatewayId, outbox, counters);
    delivery.start();
    return delivery;
  }

  /** Commits {@code n} alerts, one at a time: every tenth a level-1 gas alarm, the rest readings of seven detectors. */
  static List<String> appendMix(SqliteOutbox outbox, int n) {
    List<String> ids = new ArrayList<>();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AlertDraft d = i % 10 == 0 ? alarm("gas-" + i % 7, CanonicalType.GAS_LEAK, 1) : telemetry("gas-" + i % 7);
      ids.add(d.alertId());
      done.add(outbox.append(List.of(d)).toCompletableFuture());
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
    return ids;
  }

  static long pending(SqliteOutbox outbox) {
    return outbox.stats().toCompletableFuture().join().pendingRows();
  }
}
