package io.commguard.gateway.rule;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Rule state in a SQLite file ({@code rules.db} in the data directory), written behind the engine
 * by one dedicated thread ({@code rules-state-writer}) so that the engine never waits for a disk.
 *
 * <p>Overload policy: pending state writes are coalesced per key (the latest value wins), so their
 * memory is bounded by the number of distinct state keys (devices x rules), never by the event
 * rate. Events kept under maintenance go through a bounded queue of {@value #INHIBITED_QUEUE}
 * entries; when it is full the oldest is dropped and counted; the table keeps the newest {@value
 * #INHIBITED_ROWS} rows.
 *
 * <p>A failed write (disk full) keeps the batch in memory under newer changes and retries it with
 * backoff (100 ms doubling to 5 s), logged at most every 30 s and counted as
 * {@code rule_state_write_failed}; the alarms themselves are not held back by it.
 *
 * <p>A file that cannot be opened as a database is moved aside ({@code rules.db.corrupt-<millis>})
 * and a fresh one started, logged at ERROR: the gateway keeps protecting the site, having lost
 * only its open-episode memory.
 */
public final class SqliteRuleStateStore implements RuleStateStore {
  static final int INHIBITED_QUEUE = 10_000;
  static final int INHIBITED_ROWS = 100_000;
  private static final System.Logger LOG = System.getLogger(SqliteRuleStateStore.class.getName());
  private static final Object DELETE = new Object();

  private final Connection db;
  private final Map<String, String> loaded;
  private final Object lock = new Object();
  private Map<String, Object> pending = new LinkedHashMap<>();
  /** Keys whose latest value is a tombstone (see {@link #putTombstone}). */
  private final Set<String> tombstones = new HashSet<>();
  private final ArrayDeque<String[]> inhibited = new ArrayDeque<>();
  private List<CompletableFuture<Void>> waiters = new ArrayList<>();
  private boolean closed;
  private final Thread writer;
  private final Counters counters;
  private final RateLimitedLog failureLog = new RateLimitedLog(LOG, 30_000);
  private long failureBackoffMs;

  private SqliteRuleStateStore(Connection db, Map<String, String> loaded, Counters counters) {
    this.db = db;
    this.loaded = loaded;
    this.counters = counters;
    this.writer = new Thread(this::run, "rules-state-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /**
   * Opens (or creates) the store in {@code file} and loads its state; blocking, call at boot.
   *
   * @param counters where events dropped from the full maintenance queue are counted
   *     ({@code rule_inhibited_dropped})
   */
  public static SqliteRuleStateStore open(Path file, Counters counters) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try {
        return openOrThrow(file, counters);
      } catch (SQLException e) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
        LOG.log(Level.ERROR, "Rule state unreadable, moved aside and started empty; open alarms may be re-raised"
            + " file={0} movedTo={1} reason={2}", file, aside, e.getMessage());
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-wal"));
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-shm"));
        return openOrThrow(file, counters);
      }
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("Cannot open rule state " + file + ": " + e.getMessage(), e);
    }
  }

  private static SqliteRuleStateStore openOrThrow(Path file, Counters counters) throws SQLException {
    Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("CREATE TABLE IF NOT EXISTS rule_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS inhibited_event (id INTEGER PRIMARY KEY AUTOINCREMENT,"
          + " device_id TEXT NOT NULL, event TEXT NOT NULL)");
      Map<String, String> loaded = new HashMap<>();
      try (ResultSet rs = s.executeQuery("SELECT key, value FROM rule_state")) {
        while (rs.next()) {
          loaded.put(rs.getString(1), rs.getString(2));
        }
      }
      db.setAutoCommit(false);
      return new SqliteRuleStateStore(db, Map.copyOf(loaded), counters);
    } catch (SQLException e) {
      db.close();
      throw e;
    }
  }

  @Override
  public Map<String, String> loaded() {
    return loaded;
  }

  @Override
  public void put(String key, String json) {
    write(key, json, false);
  }

  @Override
  public void remove(String key) {
    write(key, DELETE, false);
  }

  @Override
  public void putTombstone(String key, String json) {
    write(key, json, true);
  }

  private void write(String key, Object value, boolean tombstone) {
    synchronized (lock) {
      if (tombstone) {
        tombstones.add(key);
      } else {
        tombstones.remove(key);
      }
      pending.put(key, value);
      lock.notifyAll();
    }
  }

  @Override
  public void removeTombstone(String key) {
    synchronized (lock) {
      if (tombstones.remove(key)) {
        pending.put(key, DELETE);
        lock.notifyAll();
      }
    }
  }

  @Override
  public void keepInhibited(String deviceId, String json) {
    synchronized (lock) {
      if (inhibited.size() >= INHIBITED_QUEUE) {
        String[] dropped = inhibited.pollFirst();
        counters.increment("rule_inhibited_dropped", dropped[0], "queue_full");
      }
      inhibited.addLast(new String[] {deviceId, json});
      lock.notifyAll();
    }
  }

  @Override
  public CompletionStage<Void> flush() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (lock) {
      if (closed) {
        f.completeExceptionally(new IllegalStateException("rule state store closed"));
        return f;
      }
      waiters.add(f);
      lock.notifyAll();
    }
    return f;
  }

  private void run() {
    while (true) {
      Map<String, Object> batch;
      List<String[]> events;
      List<CompletableFuture<Void>> done;
      boolean last;
      synchronized (lock) {
        while (!closed && pending.isEmpty() && inhibited.isEmpty() && waiters.isEmpty()) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        batch = pending;
        pending = new LinkedHashMap<>();
        events = new ArrayList<>(inhibited);
        inhibited.clear();
        done = waiters;
        waiters = new ArrayList<>();
        last = closed;
      }
      try {
        write(batch, events);
        failureBackoffMs = 0;
        done.forEach(f -> f.complete(null));
      } catch (SQLException e) {
        counters.increment("rule_state_write_failed");
        failureLog.log(Level.ERROR, "write", "Rule state write failed; keeping it in memory and retrying keys="
            + batch.size() + " reason=" + e.getMessage());
        requeue(batch, events);
        done.forEach(f -> f.completeExceptionally(e));
        if (!last && !backOff()) {
          return;
        }
      }
      if (last) {
        return;
      }
    }
  }

  /** Puts a failed batch back under newer changes of the same keys, so nothing is lost while the disk is full. */
  private void requeue(Map<String, Object> batch, List<String[]> events) {
    synchronized (lock) {
      LinkedHashMap<String, Object> merged = new LinkedHashMap<>(batch);
      merged.putAll(pending);
      pending = merged;
      for (int i = events.size() - 1; i >= 0 && inhibited.size() < INHIBITED_QUEUE; i--) {
        inhibited.addFirst(events.get(i));
      }
    }
  }

  /** Waits before the next attempt (100 ms doubling to 5 s) on this writer thread; false when interrupted. */
  private boolean backOff() {
    failureBackoffMs = failureBackoffMs == 0 ? 100 : Math.min(failureBackoffMs * 2, 5000);
    try {
      Thread.sleep(failureBackoffMs);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void write(Map<String, Object> batch, List<String[]> events) throws SQLException {
    if (batch.isEmpty() && events.isEmpty()) {
      return;
    }
    try (PreparedStatement up = db.prepareStatement(
            "INSERT INTO rule_state(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        PreparedStatement del = db.prepareStatement("DELETE FROM rule_state WHERE key = ?");
        PreparedStatement ins = db.prepareStatement("INSERT INTO inhibited_event(device_id, event) VALUES(?, ?)")) {
      for (Map.Entry<String, Object> e : batch.entrySet()) {
        if (e.getValue() == DELETE) {
          del.setString(1, e.getKey());
          del.addBatch();
        } else {
          up.setString(1, e.getKey());
          up.setString(2, (String) e.getValue());
          up.addBatch();
        }
      }
      for (String[] ev : events) {
        ins.setString(1, ev[0]);
        ins.setString(2, ev[1]);
        ins.addBatch();
      }
      up.executeBatch();
      del.executeBatch();
      ins.executeBatch();
      if (!events.isEmpty()) {
        try (Statement s = db.createStatement()) {
          s.executeUpdate("DELETE FROM inhibited_event WHERE id <= (SELECT MAX(id) FROM inhibited_event) - "
              + INHIBITED_ROWS);
        }
      }
      db.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      throw e;
    }
  }

  private void rollbackQuietly() {
    try {
      db.rollback();
    } catch (SQLException e) {
      // SQLite rolls back by itself on some errors (SQLITE_FULL) while the driver still believes a
      // transaction is open; open the one it believes in so the next write is transactional again.
      try (Statement st = db.createStatement()) {
        st.execute("BEGIN");
      } catch (SQLException alreadyOpen) {
        failureLog.log(Level.WARNING, "rollback", "Rule state rollback failed reason=" + e.getMessage());
      }
    }
  }

  /** Writes what is pending, stops the writer and closes the file. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      lock.notifyAll();
    }
    try {
      writer.join();
      db.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "Rule state close failed reason={0}", e.getMessage());
    }
  }
}
