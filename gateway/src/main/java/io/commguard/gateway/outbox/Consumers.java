package io.commguard.gateway.outbox;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The northbounds an outbox serves (table {@code consumer}) and what each has still to deliver: a
 * northbound's next rows in send order, and its acknowledgements, which move the rows no
 * northbound owes any more to the history.
 *
 * <p>With one northbound the {@code outbox} table itself is its queue, as it always was: it owes
 * every row there, and a delivered row leaves at once. With several, table {@code pending} holds
 * one row per alert and northbound that still owes it (with the alert's send priority), and a row
 * leaves when no northbound owes it. So the common single-northbound gateway writes nothing more
 * per alert than before cursors existed.
 *
 * <p>At start the configured set is reconciled with the stored one, in the caller's transaction: a
 * northbound new to the file owes every alert still in the outbox (this is also how a file of a
 * release before cursors is upgraded: its undelivered alerts are owed to every northbound); a
 * northbound no longer configured is forgotten, and alerts no other northbound owes move to the
 * history. Writer thread only.
 */
final class Consumers {
  private static final System.Logger LOG = System.getLogger(Consumers.class.getName());
  /** Most keys in one {@code IN (...)} list (SQLite allows 32766 parameters). */
  private static final int IN_CHUNK = 500;
  private static final String OWED_BY_NONE =
      " FROM outbox WHERE NOT EXISTS (SELECT 1 FROM pending p WHERE p.sequence = outbox.sequence)";

  private static final String URGENT = "SELECT sequence FROM outbox ORDER BY priority, sequence LIMIT ?";
  private static final String URGENT_SHARED =
      "SELECT sequence FROM pending WHERE consumer = ? ORDER BY priority, sequence LIMIT ?";
  private static final String OLDEST = "SELECT sequence FROM outbox ORDER BY sequence LIMIT ?";
  private static final String OLDEST_SHARED = "SELECT sequence FROM pending WHERE consumer = ? ORDER BY sequence LIMIT ?";

  private final List<String> configured;

  Consumers(List<String> configured) {
    this.configured = List.copyOf(configured);
  }

  List<String> names() {
    return configured;
  }

  /** True with more than one northbound: table {@code pending} says who owes what. */
  boolean shared() {
    return configured.size() > 1;
  }

  void reconcile(Connection conn, long nowMs) throws SQLException {
    List<String> stored = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("SELECT name FROM consumer");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        stored.add(rs.getString(1));
      }
    }
    boolean wasShared = stored.size() > 1;
    for (String name : configured) {
      if (!stored.contains(name)) {
        exec(conn, "INSERT INTO consumer(name, added_ms) VALUES (?, " + nowMs + ")", name);
        LOG.log(Level.INFO, "Outbox serves a new northbound; it owes every undelivered alert. northbound={0}", name);
      }
      if (shared() && (!wasShared || !stored.contains(name))) {
        // Unshared, the one northbound owed every row; a new northbound owes every row too.
        exec(conn, "INSERT OR IGNORE INTO pending(sequence, consumer, priority) SELECT sequence, ?, priority FROM outbox",
            name);
      }
    }
    for (String name : stored) {
      if (!configured.contains(name)) {
        exec(conn, "DELETE FROM consumer WHERE name = ?", name);
        LOG.log(Level.WARNING, "Outbox forgets a northbound no longer configured; what it had not delivered is not"
            + " kept for it. northbound={0}", name);
      }
    }
    if (wasShared) {
      exec(conn, "DELETE FROM pending WHERE consumer NOT IN (SELECT name FROM consumer)");
      moveToHistory(conn, OWED_BY_NONE, List.of(), nowMs);
      if (!shared()) {
        exec(conn, "DELETE FROM pending");
      }
    }
  }

  /**
   * The next rows {@code consumer} owes and has not in flight: up to {@code oldestRows} of them the
   * oldest whatever their priority, the rest most urgent priority first, then oldest; all returned
   * in that send order. Keys first (covering index scans), then their payloads.
   *
   * <p>Either choice takes, of each device's rows, only a prefix in sequence order (a device's rows
   * never have a more urgent priority than its earlier ones: {@link RowInserts} raises those), so
   * a device's alerts are never sent out of order.
   */
  List<OutboxRow> next(Connection conn, String consumer, Set<Long> inFlight, int maxRows, int oldestRows)
      throws SQLException {
    Set<Long> chosen = new LinkedHashSet<>();
    if (oldestRows > 0) {
      choose(conn, consumer, shared() ? OLDEST_SHARED : OLDEST, inFlight, chosen, Math.min(oldestRows, maxRows));
    }
    choose(conn, consumer, shared() ? URGENT_SHARED : URGENT, inFlight, chosen, maxRows);
    List<OutboxRow> out = new ArrayList<>(chosen.size());
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT sequence, alert_id, device_id, level, priority, payload FROM outbox WHERE sequence = ?")) {
      for (long seq : chosen) {
        ps.setLong(1, seq);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            out.add(new OutboxRow(seq, rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getBytes(6)));
          }
        }
      }
    }
    out.sort(Comparator.comparingInt(OutboxRow::priority).thenComparingLong(OutboxRow::sequence));
    return out;
  }

  /** Adds to {@code chosen}, until it holds {@code upTo}, the keys {@code sql} lists that are not in flight. */
  private void choose(Connection conn, String consumer, String sql, Set<Long> inFlight, Set<Long> chosen, int upTo)
      throws SQLException {
    if (chosen.size() >= upTo) {
      return;
    }
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      int param = 1;
      if (shared()) {
        ps.setString(param++, consumer);
      }
      ps.setInt(param, upTo + inFlight.size());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && chosen.size() < upTo) {
          long seq = rs.getLong(1);
          if (!inFlight.contains(seq)) {
            chosen.add(seq);
          }
        }
      }
    }
  }

  /**
   * {@code consumer} delivered {@code sequences}: it owes them no more, and those no other
   * northbound owes move to the history. Not committed here.
   *
   * @return the rows and bytes that left the outbox
   */
  long[] delivered(Connection conn, String consumer, List<Long> sequences, long nowMs) throws SQLException {
    long rows = 0;
    long bytes = 0;
    for (int from = 0; from < sequences.size(); from += IN_CHUNK) {
      List<Long> chunk = sequences.subList(from, Math.min(sequences.size(), from + IN_CHUNK));
      String in = "sequence IN (" + "?,".repeat(chunk.size() - 1) + "?)";
      if (shared()) {
        try (PreparedStatement owed = conn.prepareStatement("DELETE FROM pending WHERE consumer = ? AND " + in)) {
          owed.setString(1, consumer);
          for (int k = 0; k < chunk.size(); k++) {
            owed.setLong(k + 2, chunk.get(k));
          }
          owed.executeUpdate();
        }
      }
      String leaving = shared() ? OWED_BY_NONE + " AND outbox." + in : " FROM outbox WHERE " + in;
      try (PreparedStatement size = conn.prepareStatement("SELECT count(*), coalesce(sum(bytes), 0)" + leaving)) {
        bind(size, chunk);
        try (ResultSet rs = size.executeQuery()) {
          rs.next();
          rows += rs.getLong(1);
          bytes += rs.getLong(2);
        }
      }
      moveToHistory(conn, leaving, chunk, nowMs);
    }
    return new long[] {rows, bytes};
  }

  /** Moves the rows {@code leaving} selects (its parameters: {@code sequences}) to the history. */
  private static void moveToHistory(Connection conn, String leaving, List<Long> sequences, long nowMs)
      throws SQLException {
    try (PreparedStatement hist = conn.prepareStatement("INSERT OR IGNORE INTO history(sequence, alert_id, device_id,"
            + " type, level, state, created_ms, delivered_ms) SELECT sequence, alert_id, device_id, type, level,"
            + " state, created_ms, " + nowMs + leaving);
        PreparedStatement del = conn.prepareStatement("DELETE" + leaving)) {
      bind(hist, sequences);
      bind(del, sequences);
      hist.executeUpdate();
      del.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, List<Long> sequences) throws SQLException {
    for (int k = 0; k < sequences.size(); k++) {
      ps.setLong(k + 1, sequences.get(k));
    }
  }

  private static int exec(Connection conn, String sql, String... params) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      return ps.executeUpdate();
    }
  }
}
