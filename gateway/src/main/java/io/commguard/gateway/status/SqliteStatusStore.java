package io.commguard.gateway.status;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.sqlite.SqliteFiles;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@value #FILE_NAME} in the data dir: what of each device's status outlives a restart (last seen,
 * last event, last rejection, peer, firmware), one row per registered device.
 *
 * <p>All its SQLite work runs on its own {@code device-status-writer} thread, never on an event
 * loop or a reporting thread: reports only mark their entry changed, and every {@code interval}
 * (and at {@link #close}) the entries marked since are written in one transaction, so a device
 * sending ten messages a second costs one row write per interval. Rows of devices no longer
 * registered (removed, or removed while the gateway was down) are deleted at the next write, so the
 * file holds at most one row per registered device. A write that fails is logged (at most once a
 * minute), counted as {@code status_store_failed} and retried at the next interval; the live
 * status is unaffected. The saved text is the board's own (event type, rejection reason codes,
 * the device's peer address, its firmware), each cut to {@value #MAX_TEXT} characters: the board
 * holds nothing personal.
 */
public final class SqliteStatusStore implements AutoCloseable {
  public static final String FILE_NAME = "status.db";
  /** How often changed entries are written: often enough that a crash loses seconds, rarely enough to batch. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  static final int MAX_TEXT = 256;
  private static final System.Logger LOG = System.getLogger(SqliteStatusStore.class.getName());
  private static final RateLimitedLog FAILURES = new RateLimitedLog(LOG, 60_000);
  /** The token of a row whose device was not tracked at start: deleted at the first write. */
  private static final Object UNTRACKED = new Object();

  private final DeviceStatusBoard board;
  private final Counters counters;
  private final ScheduledExecutorService writer;
  private Connection conn;
  /** Writer thread only: each id with a row, and the board entry the row was written from. */
  private final Map<String, Object> rows = new HashMap<>();

  private SqliteStatusStore(DeviceStatusBoard board, Counters counters) {
    this.board = board;
    this.counters = counters;
    this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "device-status-writer");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens (or creates) the file in {@code dataDir}, restores what it holds into {@code board}, whose
   * tracked set must already be the registry's, and writes changes every {@code interval}. Waits
   * for the load: call at start. The caller creates the file owner-only first. A file that fails its
   * integrity check is moved aside and the status starts empty (the log says so).
   *
   * @throws IllegalStateException when the file can be neither opened nor made anew
   */
  public static SqliteStatusStore open(Path dataDir, DeviceStatusBoard board, Counters counters, Duration interval) {
    SqliteStatusStore store = new SqliteStatusStore(board, counters);
    try {
      int restored = store.writer.submit(() -> store.load(dataDir.resolve(FILE_NAME))).get();
      LOG.log(Level.INFO, "Device status restored devices=" + restored + " file=" + dataDir.resolve(FILE_NAME));
    } catch (ExecutionException e) {
      store.writer.shutdownNow();
      store.closeQuietly();
      throw new IllegalStateException("Device status file " + dataDir.resolve(FILE_NAME) + " cannot be opened: "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      store.writer.shutdownNow();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while loading the device status", e);
    }
    long ms = interval.toMillis();
    store.writer.scheduleWithFixedDelay(store::writeQuietly, ms, ms, TimeUnit.MILLISECONDS);
    return store;
  }

  private void closeQuietly() {
    try {
      if (conn != null) {
        conn.close();
      }
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "Device status file not closed cleanly error=" + e.getMessage());
    }
  }

  private int load(Path file) throws SQLException, IOException {
    try {
      conn = SqliteFiles.openWal(file, "NORMAL");
    } catch (SQLException e) {
      Path aside = SqliteFiles.moveAside(file, "corrupt", System.currentTimeMillis());
      LOG.log(Level.WARNING, "Device status file unreadable, moved aside; devices read as never connected until heard "
          + "file=" + aside + " error=" + e.getMessage());
      conn = SqliteFiles.openWal(file, "NORMAL");
    }
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS device_status (id TEXT PRIMARY KEY, last_seen INTEGER,"
          + " last_event_type TEXT, last_event_time INTEGER, last_rejection_reason TEXT, last_rejection_time INTEGER,"
          + " peer TEXT, firmware TEXT)");
      conn.commit();
    }
    int restored = 0;
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT id, last_seen, last_event_type,"
        + " last_event_time, last_rejection_reason, last_rejection_time, peer, firmware FROM device_status")) {
      while (rs.next()) {
        String id = rs.getString(1);
        DeviceStatusBoard.Saved saved = new DeviceStatusBoard.Saved(instant(rs, 2), rs.getString(3), instant(rs, 4),
            rs.getString(5), instant(rs, 6), rs.getString(7), rs.getString(8));
        if (board.restore(id, saved)) {
          rows.put(id, board.entries().get(id));
          restored++;
        } else {
          rows.put(id, UNTRACKED);
        }
      }
      conn.commit();
    }
    return restored;
  }

  /** Writes what changed since the last write, on the writer thread, and waits for it (tests; {@link #close}). */
  void writeNow() throws InterruptedException, ExecutionException {
    writer.submit(this::writeQuietly).get();
  }

  private void writeQuietly() {
    try {
      write();
    } catch (SQLException | RuntimeException e) {
      counters.increment("status_store_failed");
      FAILURES.log(Level.WARNING, "write", "Device status not saved, retried in a few seconds error=" + e);
    }
  }

  private void write() throws SQLException {
    Map<String, DeviceStatusBoard.Entry> now = board.entries();
    List<String> deletes = new ArrayList<>();
    for (Iterator<Map.Entry<String, Object>> it = rows.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Object> row = it.next();
      if (now.get(row.getKey()) != row.getValue()) { // removed, or removed and added again
        deletes.add(row.getKey());
        it.remove();
      }
    }
    Map<String, DeviceStatusBoard.Entry> written = new HashMap<>();
    Map<String, DeviceStatusBoard.Saved> upserts = new HashMap<>();
    for (Map.Entry<String, DeviceStatusBoard.Entry> e : now.entrySet()) {
      DeviceStatusBoard.Entry entry = e.getValue();
      if (entry.changed) {
        entry.changed = false; // before reading: a report that lands meanwhile marks it for the next write
        upserts.put(e.getKey(), entry.saved());
        written.put(e.getKey(), entry);
      }
    }
    if (deletes.isEmpty() && upserts.isEmpty()) {
      return;
    }
    try (PreparedStatement delete = conn.prepareStatement("DELETE FROM device_status WHERE id = ?");
        PreparedStatement put = conn.prepareStatement("INSERT OR REPLACE INTO device_status (id, last_seen,"
            + " last_event_type, last_event_time, last_rejection_reason, last_rejection_time, peer, firmware)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (String id : deletes) {
        delete.setString(1, id);
        delete.addBatch();
      }
      delete.executeBatch();
      for (Map.Entry<String, DeviceStatusBoard.Saved> u : upserts.entrySet()) {
        DeviceStatusBoard.Saved s = u.getValue();
        put.setString(1, u.getKey());
        setInstant(put, 2, s.lastSeen());
        put.setString(3, cut(s.lastEventType()));
        setInstant(put, 4, s.lastEventTime());
        put.setString(5, cut(s.lastRejectionReason()));
        setInstant(put, 6, s.lastRejectionTime());
        put.setString(7, cut(s.peer()));
        put.setString(8, cut(s.firmware()));
        put.addBatch();
      }
      put.executeBatch();
      conn.commit();
      rows.putAll(written);
    } catch (SQLException | RuntimeException e) {
      SqliteFiles.rollback(conn);
      deletes.forEach(id -> rows.put(id, UNTRACKED));
      written.values().forEach(entry -> entry.changed = true);
      throw e;
    }
  }

  private static String cut(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    long ms = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
  }

  private static void setInstant(PreparedStatement st, int index, Instant t) throws SQLException {
    if (t == null) {
      st.setNull(index, Types.INTEGER);
    } else {
      st.setLong(index, t.toEpochMilli());
    }
  }

  /** Writes what changed (the last few seconds' reports), then closes the file. */
  @Override
  public void close() throws Exception {
    if (writer.isShutdown()) {
      return;
    }
    try {
      writer.submit(() -> {
        writeQuietly();
        conn.close();
        return null;
      }).get(10, TimeUnit.SECONDS);
    } finally {
      writer.shutdownNow();
    }
  }
}
