package io.commguard.gateway.outbox;

import io.commguard.gateway.metrics.RateLimitedLog;
import java.lang.System.Logger.Level;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the outbox may drop to stay within its bounds, for every northbound at once: rows over
 * {@code maxBytes} (telemetry and summaries, then level 4, then level 3, oldest first; never a
 * level 1/2 alarm, never the eviction summary), rows older than {@code maxAgeHours}, and on a full
 * disk a chunk of telemetry whose pages SQLite can reuse for alarms. Every evicted row is counted
 * and summarised ({@link EvictionSummary}). Writer thread only.
 */
final class Eviction {
  private static final System.Logger LOG = System.getLogger(Eviction.class.getName());
  private static final int CHUNK = 1000;

  private final OutboxFile db;
  private final long maxBytes;
  private final EvictionSummary summary;
  private final Consumer<List<Long>> forgetInFlight;
  private final RateLimitedLog log;

  /** @param forgetInFlight told of the evicted sequences after their commit, so no northbound keeps them in flight */
  Eviction(OutboxFile db, long maxBytes, EvictionSummary summary, Consumer<List<Long>> forgetInFlight, RateLimitedLog log) {
    this.db = db;
    this.maxBytes = maxBytes;
    this.summary = summary;
    this.forgetInFlight = forgetInFlight;
    this.log = log;
  }

  /** Evicts until the outbox is within {@code maxBytes} or only alarms are left. */
  void enforceByteBound() {
    if (db.pendingBytes <= maxBytes) {
      return;
    }
    try {
      evict("bytes", Long.MIN_VALUE);
    } catch (SQLException e) {
      db.rollbackQuietly();
      log.log(Level.ERROR, "evict", "Outbox eviction failed. reason=" + e.getMessage());
    }
  }

  /** Evicts every evictable row created before {@code olderThanMs}. */
  void evictOlderThan(long olderThanMs) throws SQLException {
    evict("age", olderThanMs);
  }

  /**
   * Deletes evictable rows (telemetry and summaries, then level 4, then level 3; oldest first) until
   * pending bytes are within the bound. With {@code olderThanMs} set, evicts every evictable row
   * created before it instead.
   */
  private void evict(String reason, long olderThanMs) throws SQLException {
    boolean byAge = olderThanMs != Long.MIN_VALUE;
    String sql = "SELECT sequence, device_id, bytes FROM outbox WHERE (evictable = 1 OR (evictable = 0 AND level >= 3))"
        + (byAge ? " AND created_ms < ?" : "") + " ORDER BY evictable DESC, level DESC, sequence LIMIT " + CHUNK;
    while (byAge || db.pendingBytes > maxBytes) {
      List<long[]> victims = new ArrayList<>();
      List<String> devices = new ArrayList<>();
      try (PreparedStatement ps = db.conn.prepareStatement(sql)) {
        if (byAge) {
          ps.setLong(1, olderThanMs);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            victims.add(new long[] {rs.getLong(1), rs.getLong(3)});
            devices.add(rs.getString(2));
          }
        }
      }
      if (victims.isEmpty()) {
        db.conn.commit();
        return;
      }
      long freed = 0;
      int i = 0;
      try (Deletes del = new Deletes()) {
        while (i < victims.size() && (byAge || db.pendingBytes - freed > maxBytes)) {
          del.delete(victims.get(i)[0]);
          freed += victims.get(i)[1];
          i++;
        }
      }
      db.conn.commit();
      forgetInFlight.accept(victims.subList(0, i).stream().map(v -> v[0]).toList());
      for (int k = 0; k < i; k++) {
        summary.count(devices.get(k), reason);
      }
      db.pendingRows -= i;
      db.pendingBytes -= freed;
    }
  }

  /** On a full disk, deleting a chunk of telemetry lets SQLite reuse its pages for alarms. */
  void evictForSpace() {
    List<Long> seqs = new ArrayList<>();
    List<String> devices = new ArrayList<>();
    long freed = 0;
    try (PreparedStatement ps = db.conn.prepareStatement("SELECT sequence, device_id, bytes FROM outbox"
            + " WHERE evictable = 1 ORDER BY sequence LIMIT " + CHUNK);
        Deletes del = new Deletes()) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seqs.add(rs.getLong(1));
          devices.add(rs.getString(2));
          freed += rs.getLong(3);
        }
      }
      for (long s : seqs) {
        del.delete(s);
      }
      db.conn.commit();
    } catch (SQLException e) {
      db.rollbackQuietly();
      return;
    }
    forgetInFlight.accept(seqs);
    for (int k = 0; k < seqs.size(); k++) {
      summary.count(devices.get(k), "disk_full");
    }
    db.pendingRows -= seqs.size();
    db.pendingBytes -= freed;
    if (!seqs.isEmpty()) {
      LOG.log(Level.WARNING, "Outbox evicted telemetry to free disk space. rows={0} bytes={1}", seqs.size(), freed);
    }
  }

  /** Deletes a row and what every northbound owes of it. */
  private final class Deletes implements AutoCloseable {
    private final PreparedStatement row = db.conn.prepareStatement("DELETE FROM outbox WHERE sequence = ?");
    private final PreparedStatement owed = db.conn.prepareStatement("DELETE FROM pending WHERE sequence = ?");

    Deletes() throws SQLException {}

    void delete(long sequence) throws SQLException {
      row.setLong(1, sequence);
      row.executeUpdate();
      owed.setLong(1, sequence);
      owed.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
      try (row; owed) {
        // closes both
      }
    }
  }
}
