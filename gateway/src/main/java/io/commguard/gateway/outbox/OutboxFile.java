package io.commguard.gateway.outbox;

import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.sqlite.SqliteFiles;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The open {@code outbox.db} and what the writer keeps of it in memory — rows and bytes some
 * northbound still owes, the last sequence given out — so that no commit has to count them.
 * Opening creates or upgrades the tables; after a failed write the counts are re-read. The boot
 * thread opens it, then only the writer thread uses it.
 */
final class OutboxFile {
  private static final System.Logger LOG = System.getLogger(OutboxFile.class.getName());

  final Path path;
  private final String synchronous;
  private final RateLimitedLog log;
  Connection conn;
  long lastSequence;
  long pendingRows;
  long pendingBytes;

  OutboxFile(Path path, String synchronous, RateLimitedLog log) {
    this.path = path;
    this.synchronous = synchronous;
    this.log = log;
  }

  /**
   * Opens the file in WAL mode after an integrity check, creates missing tables, reconciles the
   * northbounds it serves ({@link Consumers#reconcile}) and reads the counts.
   *
   * @throws SQLException when the file cannot be opened or is not a sound database
   */
  void open(Consumers consumers, long nowMs) throws SQLException {
    conn = SqliteFiles.openWal(path, synchronous);
    try (Statement st = conn.createStatement()) {
      OutboxSchema.create(st);
      consumers.reconcile(conn, nowMs);
      try (ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'last_sequence'")) {
        lastSequence = rs.next() ? rs.getLong(1) : 0;
      }
    }
    readCounts();
    conn.commit();
    if (pendingRows > 0) {
      LOG.log(Level.INFO, "Outbox resumes undelivered alerts. pendingRows={0} lastSequence={1}", pendingRows,
          lastSequence);
    }
  }

  /** Numbering continues above {@code floor} (a file set aside may have given out any sequence below it). */
  void numberAbove(long floor) throws SQLException {
    lastSequence = Math.max(lastSequence, floor);
    setMeta("last_sequence", lastSequence);
    conn.commit();
  }

  void setMeta(String key, long value) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")) {
      ps.setString(1, key);
      ps.setLong(2, value);
      ps.executeUpdate();
    }
  }

  /**
   * Runs {@code work} in a transaction of its own committed without waiting for the disk (WAL with
   * {@code synchronous=NORMAL} for this one commit): for changes whose loss in a power cut is
   * harmless. The next synchronous commit makes them durable too, as the WAL is written in order.
   * The level can be changed only between transactions, hence the short switch to autocommit.
   */
  <T> T withoutSync(SqliteOutbox.SqlWork<T> work) throws SQLException {
    boolean switchLevel = !"NORMAL".equals(synchronous) && !"OFF".equals(synchronous);
    if (switchLevel) {
      setSynchronous("NORMAL");
    }
    try {
      T result = work.run();
      conn.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      throw e;
    } finally {
      if (switchLevel) {
        setSynchronous(synchronous);
      }
    }
  }

  /** Outside any transaction: committing an empty one is free (nothing to write or sync). */
  private void setSynchronous(String level) throws SQLException {
    conn.commit();
    conn.setAutoCommit(true);
    try (Statement st = conn.createStatement()) {
      st.execute("PRAGMA synchronous=" + level);
    } finally {
      conn.setAutoCommit(false);
    }
  }

  long count(String table) throws SQLException {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      long n = rs.getLong(1);
      conn.commit();
      return n;
    }
  }

  /** After a failed write, re-reads what is really stored so counts and the next sequence are exact. */
  void resync() {
    try {
      readCounts();
      conn.commit();
    } catch (SQLException e) {
      rollbackQuietly();
    }
  }

  private void readCounts() throws SQLException {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(bytes), 0), coalesce(max(sequence), 0) FROM outbox")) {
      rs.next();
      pendingRows = rs.getLong(1);
      pendingBytes = rs.getLong(2);
      lastSequence = Math.max(lastSequence, rs.getLong(3));
    }
  }

  void rollbackQuietly() {
    try {
      SqliteFiles.rollback(conn);
    } catch (SQLException e) {
      log.log(Level.WARNING, "rollback", "Outbox rollback failed. reason=" + e.getMessage());
    }
  }

  void close() {
    try {
      if (conn != null) {
        conn.close();
      }
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "Outbox close failed. reason={0}", e.getMessage());
    }
  }
}
