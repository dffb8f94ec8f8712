package io.commguard.gateway.receiver;

import io.commguard.alert.v1.Alert;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Received alerts in a SQLite file, table {@code alerts} keyed by (gateway_id, sequence), with the
 * decoded columns a platform engineer queries and the raw protobuf bytes.
 */
final class SqliteStore implements ReceivedStore {
  private final Connection conn;
  private final PreparedStatement insert;

  SqliteStore(Path file) throws IOException {
    try {
      conn = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement st = conn.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=FULL");
        st.execute("CREATE TABLE IF NOT EXISTS alerts(gateway_id TEXT NOT NULL, sequence INTEGER NOT NULL,"
            + " alert_id TEXT NOT NULL, state TEXT NOT NULL, type TEXT NOT NULL, level INTEGER NOT NULL,"
            + " device_id TEXT NOT NULL, occurred_at_ms INTEGER NOT NULL, received_at_ms INTEGER NOT NULL,"
            + " alert BLOB NOT NULL, PRIMARY KEY (gateway_id, sequence))");
        st.execute("CREATE INDEX IF NOT EXISTS alerts_by_id ON alerts(alert_id)");
      }
      conn.setAutoCommit(false);
      insert = conn.prepareStatement("INSERT OR IGNORE INTO alerts VALUES (?,?,?,?,?,?,?,?,?,?)");
    } catch (SQLException e) {
      throw new IOException("Cannot open receiver database " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<Alert> store(List<Alert> alerts) throws IOException {
    List<Alert> fresh = new ArrayList<>(alerts.size());
    long now = System.currentTimeMillis();
    try {
      for (Alert a : alerts) {
        insert.setString(1, a.getGatewayId());
        insert.setLong(2, a.getSequence());
        insert.setString(3, a.getAlertId());
        insert.setString(4, a.getState().name());
        insert.setString(5, a.getType().name());
        insert.setInt(6, a.getLevel());
        insert.setString(7, a.getDevice().getDeviceId());
        insert.setLong(8, a.getOccurredAtMs());
        insert.setLong(9, now);
        insert.setBytes(10, a.toByteArray());
        if (insert.executeUpdate() == 1) {
          fresh.add(a);
        }
      }
      conn.commit();
      return fresh;
    } catch (SQLException e) {
      try {
        conn.rollback();
      } catch (SQLException ignored) {
        // The batch is not acknowledged; the gateway resends it.
      }
      throw new IOException("Cannot store alerts: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      conn.close();
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
