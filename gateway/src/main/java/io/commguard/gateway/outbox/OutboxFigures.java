package io.commguard.gateway.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.LongConsumer;

/**
 * Read-only figures of the outbox for the metrics: the backlog of each send priority, and the
 * commit-to-acknowledgement delay of every alert delivered since the previous reading (from the
 * history table, which keeps each delivered alert's commit and delivery time).
 */
public final class OutboxFigures {
  public static final int PRIORITIES = 4;

  private final long[] pending;
  private final long[] oldestCommittedMs;
  private final long readAtMs;

  private OutboxFigures(long[] pending, long[] oldestCommittedMs, long readAtMs) {
    this.pending = pending;
    this.oldestCommittedMs = oldestCommittedMs;
    this.readAtMs = readAtMs;
  }

  /** Undelivered alerts of send priority 1..4. */
  public long pending(int priority) {
    return pending[priority];
  }

  /** Commit time of the oldest undelivered alert of send priority 1..4, or -1 when there is none. */
  public long oldestCommittedMs(int priority) {
    return oldestCommittedMs[priority];
  }

  /** The writer's clock when read: deliveries before it were passed on, the next reading starts here. */
  public long readAtMs() {
    return readAtMs;
  }

  /**
   * Runs on the writer thread, inside its connection's read transaction, which it ends.
   *
   * @param deliveredFromMs deliveries at or after this time are passed to {@code ackDelayMs}; a
   *     negative value passes none (the first reading only sets the starting point)
   */
  static OutboxFigures read(Connection conn, long nowMs, long deliveredFromMs, LongConsumer ackDelayMs)
      throws SQLException {
    long[] pending = new long[PRIORITIES + 1];
    long[] oldest = new long[PRIORITIES + 1];
    // One index seek and one covering-index count per priority: cheap even with a long backlog.
    try (PreparedStatement count = conn.prepareStatement("SELECT count(*) FROM outbox WHERE priority = ?");
        PreparedStatement first = conn.prepareStatement(
            "SELECT created_ms FROM outbox WHERE priority = ? ORDER BY sequence LIMIT 1")) {
      for (int p = 1; p <= PRIORITIES; p++) {
        count.setInt(1, p);
        try (ResultSet rs = count.executeQuery()) {
          pending[p] = rs.next() ? rs.getLong(1) : 0;
        }
        first.setInt(1, p);
        try (ResultSet rs = first.executeQuery()) {
          oldest[p] = rs.next() ? rs.getLong(1) : -1;
        }
      }
    }
    if (deliveredFromMs >= 0) {
      // Strictly before now: a delivery the writer commits later in this millisecond is read next time.
      try (PreparedStatement ps = conn.prepareStatement(
          "SELECT delivered_ms - created_ms FROM history WHERE delivered_ms >= ? AND delivered_ms < ?")) {
        ps.setLong(1, deliveredFromMs);
        ps.setLong(2, nowMs);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ackDelayMs.accept(Math.max(0, rs.getLong(1)));
          }
        }
      }
    }
    conn.commit();
    return new OutboxFigures(pending, oldest, nowMs);
  }
}
