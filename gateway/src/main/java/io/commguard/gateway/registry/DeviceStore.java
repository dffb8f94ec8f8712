package io.commguard.gateway.registry;

import io.commguard.gateway.config.ConfigSections;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.sqlite.SqliteFiles;
import io.commguard.gateway.validation.ProblemCollector;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code devices.db}: one row per device, its config entry as JSON. Used only from the registry's
 * writer thread. A file that fails its integrity check is moved aside and the registry starts
 * empty (the config's devices come back with the import that follows; devices added at run time
 * must be added again, and the log says so).
 */
final class DeviceStore implements AutoCloseable {
  static final String FILE_NAME = "devices.db";
  private static final System.Logger LOG = System.getLogger(DeviceStore.class.getName());

  private final Connection conn;

  private DeviceStore(Connection conn) {
    this.conn = conn;
  }

  static DeviceStore open(Path dataDir) throws SQLException, IOException {
    Path file = dataDir.resolve(FILE_NAME);
    Connection conn;
    try {
      conn = SqliteFiles.openWal(file, "FULL");
    } catch (SQLException e) {
      Path aside = SqliteFiles.moveAside(file, "corrupt", System.currentTimeMillis());
      LOG.log(Level.ERROR, "Device registry unreadable, moved aside; devices added at run time must be added again file="
          + aside + " error=" + e.getMessage());
      conn = SqliteFiles.openWal(file, "FULL");
    }
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS device (id TEXT PRIMARY KEY, source TEXT NOT NULL, origin TEXT NOT NULL,"
          + " spec TEXT NOT NULL)");
      conn.commit();
    }
    return new DeviceStore(conn);
  }

  /** Every stored device; a row that no longer reads is logged and skipped. */
  Map<String, RegisteredDevice> load() throws SQLException {
    Map<String, RegisteredDevice> out = new LinkedHashMap<>();
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT id, source, origin, spec FROM device ORDER BY id")) {
      while (rs.next()) {
        String id = rs.getString(1);
        ProblemCollector problems = new ProblemCollector(FILE_NAME);
        DeviceConfig config = null;
        try {
          config = ConfigSections.read(ConfigSections.readTree(rs.getString(4)), DeviceConfig.class, "device " + id, problems);
        } catch (IOException e) {
          problems.add("device " + id, e.getMessage());
        }
        if (config == null || !problems.isEmpty()) {
          LOG.log(Level.ERROR, "Device registry row unreadable, skipped device=" + id + " problems=" + problems.problems());
          continue;
        }
        out.put(id, new RegisteredDevice(config, rs.getString(2), Origin.valueOf(rs.getString(3))));
      }
    }
    return out;
  }

  /** Writes {@code upserts} and deletes {@code removals} in one transaction. */
  void write(Collection<RegisteredDevice> upserts, Collection<String> removals) throws SQLException {
    try (PreparedStatement put = conn.prepareStatement("INSERT OR REPLACE INTO device (id, source, origin, spec) VALUES (?, ?, ?, ?)");
        PreparedStatement delete = conn.prepareStatement("DELETE FROM device WHERE id = ?")) {
      for (RegisteredDevice d : upserts) {
        put.setString(1, d.id());
        put.setString(2, d.source());
        put.setString(3, d.origin().name());
        put.setString(4, ConfigSections.tree(d.config()).toString());
        put.addBatch();
      }
      for (String id : removals) {
        delete.setString(1, id);
        delete.addBatch();
      }
      put.executeBatch();
      delete.executeBatch();
      conn.commit();
    } catch (SQLException e) {
      SqliteFiles.rollback(conn);
      throw e;
    }
  }

  @Override
  public void close() throws SQLException {
    conn.close();
  }
}
