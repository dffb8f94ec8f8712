package io.commguard.gateway.outbox;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The northbounds an outbox serves (table {@code consumer}) and what each has still to deliver
 * (table {@code pending}: one row per alert and northbound). At start the configured set is
 * reconciled with the stored one, in the caller's transaction:
 *
 * <ul>
 *   <li>a northbound new to this file owes every alert still in the outbox (this is also how a file
 *       of a release before per-northbound delivery is upgraded: its undelivered alerts become the
 *       first northbound's);
 *   <li>a northbound no longer configured is forgotten, and alerts no other northbound owes move
 *       to the history.
 * </ul>
 * Writer thread only.
 */
final class Consumers {
  private static final System.Logger LOG = System.getLogger(Consumers.class.getName());

  private Consumers() {}

  static void reconcile(Connection conn, List<String> configured, long nowMs) throws SQLException {
    List<String> stored = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("SELECT name FROM consumer");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        stored.add(rs.getString(1));
      }
    }
    for (String name : configured) {
      if (!stored.contains(name)) {
        int owed = exec(conn, "INSERT OR IGNORE INTO pending(sequence, consumer, priority)"
            + " SELECT sequence, ?, priority FROM outbox", name);
        exec(conn, "INSERT INTO consumer(name, added_ms) VALUES (?, " + nowMs + ")", name);
        LOG.log(Level.INFO, "Outbox serves a new northbound; it owes every undelivered alert. northbound={0} alerts={1}",
            name, owed);
      }
    }
    for (String name : stored) {
      if (!configured.contains(name)) {
        int dropped = exec(conn, "DELETE FROM pending WHERE consumer = ?", name);
        exec(conn, "DELETE FROM consumer WHERE name = ?", name);
        LOG.log(Level.WARNING, "Outbox forgets a northbound no longer configured; what it had not delivered is not"
            + " kept for it. northbound={0} alerts={1}", name, dropped);
      }
    }
    String owedByNone = " FROM outbox WHERE NOT EXISTS (SELECT 1 FROM pending p WHERE p.sequence = outbox.sequence)";
    exec(conn, "INSERT OR IGNORE INTO history(sequence, alert_id, device_id, type, level, state, created_ms,"
        + " delivered_ms) SELECT sequence, alert_id, device_id, type, level, state, created_ms, " + nowMs + owedByNone);
    exec(conn, "DELETE" + owedByNone);
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
