package io.commguard.gateway.outbox;

import io.commguard.gateway.pipeline.StateChanges;
import io.commguard.gateway.sqlite.SqliteFiles;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Upgrade in place from releases that kept the rule state in a separate {@code rules.db}: its state
 * is copied into the outbox database in one transaction, together with a marker key telling the
 * rules to re-announce its open episodes and re-send its pending CLEAREDs once (that release could
 * lose an alert between its two commits). Then the old file is renamed {@code
 * rules.db.imported-<millis>} (kept, never deleted). A crash before the copy's commit repeats the
 * import at the next start; a crash after it only renames.
 */
final class LegacyRuleState {
  static final String FILE = "rules.db";
  private static final System.Logger LOG = System.getLogger(LegacyRuleState.class.getName());

  private LegacyRuleState() {}

  static void importIfPresent(Connection conn, Path dataDir, long nowMs) throws SQLException, IOException {
    Path legacy = dataDir.resolve(FILE);
    if (!Files.exists(legacy)) {
      return;
    }
    boolean done;
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'rule_state_imported'")) {
      done = rs.next();
    }
    if (!done) {
      Map<String, String> state = read(legacy);
      try (PreparedStatement up = conn.prepareStatement("INSERT OR REPLACE INTO rule_state(key, value) VALUES(?, ?)");
          PreparedStatement meta = conn.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES('rule_state_imported', ?)")) {
        for (Map.Entry<String, String> e : state.entrySet()) {
          up.setString(1, e.getKey());
          up.setString(2, e.getValue());
          up.addBatch();
        }
        up.setString(1, StateChanges.IMPORTED_MARKER);
        up.setString(2, "1");
        up.addBatch();
        up.executeBatch();
        meta.setLong(1, nowMs);
        meta.executeUpdate();
      }
      conn.commit();
      LOG.log(Level.INFO, "Rule state imported from {0} into the outbox database entries={1}", legacy, state.size());
    }
    SqliteFiles.moveAside(legacy, "imported", nowMs);
  }

  /** The old file's state; empty (logged at ERROR) when it cannot be read, as that release did with a corrupt file. */
  private static Map<String, String> read(Path legacy) throws IOException {
    Map<String, String> state = new LinkedHashMap<>();
    if (Files.size(legacy) == 0) {
      return state;
    }
    try (Connection old = DriverManager.getConnection("jdbc:sqlite:" + legacy.toAbsolutePath());
        Statement st = old.createStatement();
        ResultSet rs = st.executeQuery("SELECT key, value FROM rule_state")) {
      while (rs.next()) {
        state.put(rs.getString(1), rs.getString(2));
      }
    } catch (SQLException e) {
      LOG.log(Level.ERROR, "Old rule state unreadable, not imported; open alarms may be re-raised file={0} reason={1}",
          legacy, e.getMessage());
      state.clear();
    }
    return state;
  }
}
