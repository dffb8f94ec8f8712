package io.commguard.gateway.outbox;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.wire.AlertEncoder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes committed alerts: each alert's row with its encoded {@code Alert} (numbered here, the only
 * place alerts are encoded), with several northbounds what each owes of it ({@link Consumers}), and
 * the promotion of the device's earlier rows so that they are not overtaken. One instance per commit; writer thread only.
 */
final class RowInserts implements AutoCloseable {
  private static final String INSERT = "INSERT INTO outbox(sequence, alert_id, device_id, type, level, state,"
      + " priority, evictable, created_ms, bytes, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?)";
  private static final String INSERT_PENDING = "INSERT INTO pending(sequence, consumer, priority) VALUES (?,?,?)";
  private static final String PROMOTE =
      "UPDATE outbox SET priority = ? WHERE device_id = ? AND priority > ? AND sequence < ?";
  private static final String PROMOTE_PENDING = "UPDATE pending SET priority = ? WHERE sequence IN"
      + " (SELECT sequence FROM outbox WHERE device_id = ? AND priority > ? AND sequence < ?)";

  private final Consumers consumers;
  private final String gatewayId;
  private final EvictionSummary summary;
  private final long nowMs;
  private final PreparedStatement row;
  private final PreparedStatement pending;
  private final PreparedStatement promote;
  private final PreparedStatement promotePending;

  RowInserts(Connection conn, Consumers consumers, String gatewayId, EvictionSummary summary, long nowMs)
      throws SQLException {
    this.consumers = consumers;
    this.gatewayId = gatewayId;
    this.summary = summary;
    this.nowMs = nowMs;
    row = conn.prepareStatement(INSERT);
    pending = conn.prepareStatement(INSERT_PENDING);
    promote = conn.prepareStatement(PROMOTE);
    promotePending = conn.prepareStatement(PROMOTE_PENDING);
  }

  /** Stores {@code d} as alert {@code sequence}; returns its encoded size. */
  int insert(AlertDraft d, long sequence) throws SQLException {
    byte[] payload = AlertEncoder.encode(d, sequence, gatewayId).toByteArray();
    String device = d.device().deviceId();
    row.setLong(1, sequence);
    row.setString(2, d.alertId());
    row.setString(3, device);
    row.setInt(4, d.type().protoNumber());
    row.setInt(5, d.level());
    row.setInt(6, d.state().protoNumber());
    row.setInt(7, d.level());
    row.setInt(8, evictClass(d));
    row.setLong(9, nowMs);
    row.setInt(10, payload.length);
    row.setBytes(11, payload);
    row.executeUpdate();
    for (String consumer : consumers.shared() ? consumers.names() : List.<String>of()) {
      pending.setLong(1, sequence);
      pending.setString(2, consumer);
      pending.setInt(3, d.level());
      pending.executeUpdate();
    }
    if (d.level() < 4) {
      // Earlier alerts of this device must not be overtaken: raise them to this priority, in every
      // northbound's queue first (the rows to raise are found by their old priority).
      for (PreparedStatement p : consumers.shared() ? List.of(promotePending, promote) : List.of(promote)) {
        p.setInt(1, d.level());
        p.setString(2, device);
        p.setInt(3, d.level());
        p.setLong(4, sequence);
        p.executeUpdate();
      }
    }
    return payload.length;
  }

  /**
   * 1: telemetry and summaries, evicted first; 0: alerts, evicted from level 4 then 3; -1: never
   * (the outbox's own eviction summary, which would otherwise vanish under the pressure it reports).
   */
  private int evictClass(AlertDraft d) {
    if (summary.isSummary(d)) {
      return -1;
    }
    return d.evictable() ? 1 : 0;
  }

  @Override
  public void close() throws SQLException {
    try (row; pending; promote; promotePending) {
      // closes all four
    }
  }
}
