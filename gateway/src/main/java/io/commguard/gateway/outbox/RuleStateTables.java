package io.commguard.gateway.outbox;

import io.commguard.gateway.pipeline.Decision;
import io.commguard.gateway.pipeline.Receipt;
import io.commguard.gateway.pipeline.StateChanges;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule state's tables in the outbox database, written in the same transaction as the alerts of
 * the decisions that changed them: {@code rule_state} (key, JSON value), {@code inhibited_event}
 * (events kept under maintenance, newest {@value #INHIBITED_ROWS}) and {@code receipt} (the last
 * {@link Receipt#KEPT_PER_DEVICE} publish identities of each device, as a ring of slots). Used on
 * the outbox's writer thread only.
 */
final class RuleStateTables {
  static final int INHIBITED_ROWS = 100_000;

  /** Next ring slot per device, and the order receipts were written in. */
  private final Map<String, Integer> nextSlot = new HashMap<>();
  private long receiptSeq;

  static void create(Statement st) throws SQLException {
    st.execute("CREATE TABLE IF NOT EXISTS rule_state(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    st.execute("CREATE TABLE IF NOT EXISTS inhibited_event(id INTEGER PRIMARY KEY AUTOINCREMENT,"
        + " device_id TEXT NOT NULL, event TEXT NOT NULL)");
    st.execute("CREATE TABLE IF NOT EXISTS receipt(device_id TEXT NOT NULL, slot INTEGER NOT NULL,"
        + " identity TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(device_id, slot))");
  }

  static Map<String, String> loadState(Connection conn) throws SQLException {
    Map<String, String> state = new HashMap<>();
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT key, value FROM rule_state")) {
      while (rs.next()) {
        state.put(rs.getString(1), rs.getString(2));
      }
    }
    return state;
  }

  /** Each device's committed receipts, oldest first; also resumes the slot ring. */
  Map<String, List<String>> loadReceipts(Connection conn) throws SQLException {
    Map<String, List<String>> byDevice = new LinkedHashMap<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT device_id, slot, identity, seq FROM receipt ORDER BY seq")) {
      while (rs.next()) {
        String device = rs.getString(1);
        byDevice.computeIfAbsent(device, d -> new ArrayList<>()).add(rs.getString(3));
        nextSlot.put(device, (rs.getInt(2) + 1) % Receipt.KEPT_PER_DEVICE);
        receiptSeq = rs.getLong(4);
      }
    }
    return byDevice;
  }

  /** Writes the state changes and receipts of {@code decisions}, in their order, into the open transaction. */
  void write(Connection conn, List<Decision> decisions) throws SQLException {
    Map<String, String> values = new LinkedHashMap<>();
    List<StateChanges.KeptEvent> kept = new ArrayList<>();
    List<Receipt> receipts = new ArrayList<>();
    for (Decision d : decisions) {
      // Later decisions win: the group's net change per key, so puts and deletes need no interleaving.
      values.putAll(d.state().values());
      kept.addAll(d.state().kept());
      if (d.receipt() != null) {
        receipts.add(d.receipt());
      }
    }
    if (values.isEmpty() && kept.isEmpty() && receipts.isEmpty()) {
      return;
    }
    try (PreparedStatement up = conn.prepareStatement(
            "INSERT INTO rule_state(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        PreparedStatement del = conn.prepareStatement("DELETE FROM rule_state WHERE key = ?");
        PreparedStatement ins = conn.prepareStatement("INSERT INTO inhibited_event(device_id, event) VALUES(?, ?)");
        PreparedStatement rec = conn.prepareStatement(
            "INSERT OR REPLACE INTO receipt(device_id, slot, identity, seq) VALUES(?, ?, ?, ?)")) {
      for (Map.Entry<String, String> e : values.entrySet()) {
        if (e.getValue() == null) {
          del.setString(1, e.getKey());
          del.addBatch();
        } else {
          up.setString(1, e.getKey());
          up.setString(2, e.getValue());
          up.addBatch();
        }
      }
      for (StateChanges.KeptEvent k : kept) {
        ins.setString(1, k.deviceId());
        ins.setString(2, k.json());
        ins.addBatch();
      }
      for (Receipt r : receipts) {
        int slot = nextSlot.getOrDefault(r.deviceId(), 0);
        nextSlot.put(r.deviceId(), (slot + 1) % Receipt.KEPT_PER_DEVICE);
        rec.setString(1, r.deviceId());
        rec.setInt(2, slot);
        rec.setString(3, r.identity());
        rec.setLong(4, ++receiptSeq);
        rec.addBatch();
      }
      up.executeBatch();
      del.executeBatch();
      ins.executeBatch();
      rec.executeBatch();
    }
    if (!kept.isEmpty()) {
      try (Statement s = conn.createStatement()) {
        s.executeUpdate("DELETE FROM inhibited_event WHERE id <= (SELECT MAX(id) FROM inhibited_event) - " + INHIBITED_ROWS);
      }
    }
  }
}
