package io.commguard.gateway.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Opening, setting aside and transaction repair of SQLite files. */
public final class SqliteFiles {
  private SqliteFiles() {}

  /**
   * Opens {@code file} in WAL mode with the given {@code synchronous} level and a 5 s busy timeout,
   * in manual-commit mode. An existing file must pass {@code PRAGMA quick_check}.
   *
   * @throws SQLException when the file is not a database, fails the check or cannot use WAL; the
   *     connection is closed then
   */
  public static Connection openWal(Path file, String synchronous) throws SQLException {
    boolean existed = Files.exists(file);
    Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement st = conn.createStatement()) {
      if (existed) {
        try (ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
          String result = rs.next() ? rs.getString(1) : "no result";
          if (!"ok".equals(result)) {
            throw new SQLException("integrity check failed: " + result);
          }
        }
      }
      try (ResultSet rs = st.executeQuery("PRAGMA journal_mode=WAL")) {
        if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
          throw new SQLException("cannot switch to WAL journal mode");
        }
      }
      st.execute("PRAGMA synchronous=" + synchronous);
      st.execute("PRAGMA busy_timeout=5000");
      conn.setAutoCommit(false);
      return conn;
    } catch (SQLException e) {
      conn.close();
      throw e;
    }
  }

  /**
   * A read-only connection to {@code file}, already in WAL mode and opened by a writer, in
   * manual-commit mode: each read transaction (ended by {@code commit}) sees one committed state and
   * never waits for the writer's transactions or fsyncs.
   */
  public static Connection openWalReader(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(5000);
    Connection conn = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    conn.setAutoCommit(false);
    return conn;
  }

  /**
   * Renames {@code file} and its {@code -wal} / {@code -shm} files to {@code <name>.<tag>-<millis>}
   * (never deletes them: they can be inspected or salvaged with the {@code sqlite3} shell).
   *
   * @return the new path of the main file
   */
  public static Path moveAside(Path file, String tag, long millis) throws IOException {
    Path aside = file.resolveSibling(file.getFileName() + "." + tag + "-" + millis);
    Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
    for (String suffix : new String[] {"-wal", "-shm"}) {
      Path side = file.resolveSibling(file.getFileName() + suffix);
      if (Files.exists(side)) {
        Files.move(side, aside.resolveSibling(aside.getFileName() + suffix), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    return aside;
  }

  /**
   * Rolls back. SQLite rolls the whole transaction back by itself on some errors ({@code
   * SQLITE_FULL}) while the driver still believes one is open and would run the next statements in
   * autocommit mode; then this opens the transaction the driver believes in.
   *
   * @throws SQLException when neither works
   */
  public static void rollback(Connection conn) throws SQLException {
    try {
      conn.rollback();
    } catch (SQLException e) {
      try (Statement st = conn.createStatement()) {
        st.execute("BEGIN");
      } catch (SQLException alreadyOpen) {
        e.addSuppressed(alreadyOpen);
        throw e;
      }
    }
  }
}
