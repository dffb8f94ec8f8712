package io.commguard.gateway.outbox;

import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.pipeline.AlertStore;
import io.commguard.gateway.pipeline.Decision;
import io.commguard.gateway.pipeline.OverloadedException;
import io.commguard.gateway.sqlite.SqliteFiles;
import io.commguard.gateway.wire.AlertEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The SQLite outbox (file {@code outbox.db} in the data directory).
 *
 * <p>Threading: one writer thread owns the connection. {@link #commit} puts a rule decision on a
 * queue whose alert count is bounded by {@code queueCapacity}; <b>overload policy</b>: the pipeline
 * checks {@link #hasRoom} before deciding and refuses events while it is false (the source
 * withholds its QoS 1 PUBACK and the device retransmits); a decision once queued is never refused,
 * it waits while storage is full. {@link #append} (the gateway's own alerts) fails at once with
 * {@link OverloadedException} when the queue is full. Northbound calls (through each one's {@link
 * #cursor}) are few (bounded by each delivery's in-flight window) and are never refused.
 *
 * <p>Durability: WAL with {@code synchronous=FULL} by default, so a decision's future completes
 * only after its transaction (its alerts, rule state and receipt together) is fsynced; decisions
 * arriving within {@code groupCommitMaxWaitMs} (up to {@code groupCommitMaxRows}) share one
 * transaction, in queue order.
 *
 * <p>Order and bounds, eviction, storage-full back-pressure, history and the corrupt-database
 * procedure are described in docs/delivery.md. Schema in {@link OutboxSchema}, the rule state's
 * tables in {@link RuleStateTables}, the eviction summary in {@link EvictionSummary}, the upgrade
 * from a separate rule-state file in {@link LegacyRuleState}.
 */
public final class SqliteOutbox implements AlertStore, Outbox {
  private static final System.Logger LOG = System.getLogger(SqliteOutbox.class.getName());
  private static final Object STOP = new Object();
  private static final long HOUSEKEEPING_POLL_MS = 500;
  private static final long AGE_AND_HISTORY_EVERY_MS = 60_000;
  private static final int EVICT_CHUNK = 1000;
  /** Most keys in one {@code IN (...)} list (SQLite allows 32766 parameters). */
  private static final int IN_CHUNK = 500;
  /** Leave the storage-full state once pending bytes fall below this share of the bound. */
  private static final double RESUME_RATIO = 0.9;

  private static final String INSERT = "INSERT INTO outbox(sequence, alert_id, device_id, type, level, state,"
      + " priority, evictable, created_ms, bytes, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?)";
  private static final String INSERT_PENDING = "INSERT INTO pending(sequence, consumer, priority) VALUES (?,?,?)";
  private static final String PROMOTE =
      "UPDATE outbox SET priority = ? WHERE device_id = ? AND priority > ? AND sequence < ?";
  private static final String PROMOTE_PENDING = "UPDATE pending SET priority = ? WHERE sequence IN"
      + " (SELECT sequence FROM outbox WHERE device_id = ? AND priority > ? AND sequence < ?)";

  /** A queued decision; {@code weight} is what it counts against {@code queueCapacity}. */
  private record Append(Decision decision, CompletableFuture<Void> done, int weight) {
    List<AlertDraft> drafts() {
      return decision.alerts();
    }
  }

  private final OutboxConfig config;
  private final Path dataDir;
  private final Path dbFile;
  private final String gatewayId;
  private final Counters counters;
  private final Clock clock;
  private final LinkedBlockingQueue<Object> tasks = new LinkedBlockingQueue<>();
  private final AtomicInteger queuedAlerts = new AtomicInteger();
  private volatile boolean running;
  private List<String> consumers = List.of();
  private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();
  private Thread writer;

  // Writer-thread state.
  private Connection conn;
  private long lastSequence;
  private long pendingRows;
  private long pendingBytes;
  /** Decisions waiting for storage, oldest first; every later decision waits behind them. */
  private final ArrayDeque<Append> blocked = new ArrayDeque<>();
  private final RuleStateTables ruleTables = new RuleStateTables();
  private Map<String, String> loadedRuleState = Map.of();
  private Map<String, List<String>> loadedReceipts = Map.of();
  private final List<AlertDraft> ownAlerts = new ArrayList<>();
  private EvictionSummary evictions;
  private boolean storageFull;
  private boolean diskFull;
  private String storageAlertId;
  private long lastAgeAndHistoryMs;
  private final RateLimitedLog rateLimitedLog = new RateLimitedLog(LOG, 10_000);

  public SqliteOutbox(OutboxConfig config, Path dataDir, String gatewayId, Counters counters) {
    this(config, dataDir, gatewayId, counters, Clock.systemUTC());
  }

  SqliteOutbox(OutboxConfig config, Path dataDir, String gatewayId, Counters counters, Clock clock) {
    this.config = config;
    this.dataDir = dataDir;
    this.dbFile = dataDir.resolve("outbox.db");
    this.gatewayId = gatewayId;
    this.counters = counters;
    this.clock = clock;
  }

  /**
   * Opens (or creates) the database and starts the writer thread. A database that cannot be opened
   * or fails its integrity check is moved aside (never deleted), a new one is created and a level-2
   * gateway fault alert is queued. Blocking: call it at boot, not on an event loop.
   *
   * @param consumers the names of the northbounds to deliver to (at least one): each gets a {@link
   *     #cursor}; a row leaves the outbox when all of them have delivered it
   * @throws UncheckedIOException when not even a new database can be created
   */
  public void start(List<String> consumers) {
    if (consumers.isEmpty() || Set.copyOf(consumers).size() != consumers.size()) {
      throw new IllegalArgumentException("The outbox needs at least one northbound, each named once: " + consumers);
    }
    this.consumers = List.copyOf(consumers);
    for (String name : consumers) {
      cursors.put(name, new Cursor(name));
    }
    try {
      Files.createDirectories(dataDir);
      open();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the outbox in " + dataDir, e);
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException("Cannot open the outbox " + dbFile + ": " + e.getMessage(), e));
    }
    evictions = new EvictionSummary(gatewayId, counters, clock, config.summaryIntervalMs());
    lastAgeAndHistoryMs = 0;
    running = true;
    writer = new Thread(this::runWriter, "outbox-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Commits what is queued, then closes the database. Blocks up to 10 s. */
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    tasks.add(STOP);
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public OutboxCursor cursor(String consumer) {
    Cursor c = cursors.get(consumer);
    if (c == null) {
      throw new IllegalArgumentException("The outbox was not started for northbound " + consumer + "; it serves "
          + consumers);
    }
    return c;
  }

  /**
   * Queues alerts alone (the gateway's own alerts), refused at once with {@link
   * OverloadedException} when the queue is at its bound; otherwise as {@link #commit}.
   */
  @Override
  public CompletionStage<Void> append(List<AlertDraft> alerts) {
    if (alerts.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (queuedAlerts.get() + alerts.size() > config.queueCapacity()) {
      counters.increment("outbox_refused", alerts.get(0).device().deviceId(), "queue_full");
      return CompletableFuture.failedFuture(new OverloadedException("outbox queue full"));
    }
    return commit(Decision.of(alerts));
  }

  @Override
  public CompletionStage<Void> commit(Decision decision) {
    if (!running) {
      return CompletableFuture.failedFuture(new OverloadedException("outbox is closed"));
    }
    int weight = Math.max(1, decision.alerts().size());
    queuedAlerts.addAndGet(weight);
    CompletableFuture<Void> done = new CompletableFuture<>();
    tasks.add(new Append(decision, done, weight));
    return done;
  }

  @Override
  public boolean hasRoom() {
    return queuedAlerts.get() < config.queueCapacity();
  }

  /** The rule state committed before this start: key to JSON value. Read once at boot. */
  public Map<String, String> ruleState() {
    return loadedRuleState;
  }

  /** Each device's recent publish identities committed before this start, oldest first. Read once at boot. */
  public Map<String, List<String>> receipts() {
    return loadedReceipts;
  }

  /** One northbound's cursor; its in-flight set is writer-thread state. */
  private final class Cursor implements OutboxCursor {
    private final String name;
    private final Set<Long> inFlight = new HashSet<>();
    private volatile IntConsumer commitListener = priority -> {};

    Cursor(String name) {
      this.name = name;
    }

    @Override
    public CompletionStage<List<OutboxRow>> nextBatch(int maxRows) {
      return call(() -> fetch(this, maxRows));
    }

    @Override
    public CompletionStage<Void> markDelivered(Collection<Long> sequences) {
      List<Long> copy = List.copyOf(sequences);
      return call(() -> {
        deliver(this, copy);
        return null;
      });
    }

    @Override
    public void release(Collection<Long> sequences) {
      List<Long> copy = List.copyOf(sequences);
      tasks.add((Runnable) () -> copy.forEach(inFlight::remove));
    }

    @Override
    public void releaseAll() {
      tasks.add((Runnable) inFlight::clear);
    }

    /** Called on the writer thread after each commit with the most urgent priority (1..4) committed. */
    @Override
    public void setCommitListener(IntConsumer listener) {
      this.commitListener = listener;
    }
  }

  public CompletionStage<OutboxStats> stats() {
    return call(() -> new OutboxStats(pendingRows, pendingBytes,
        cursors.values().stream().mapToInt(c -> c.inFlight.size()).sum(), count("history"),
        lastSequence, storageFull || diskFull));
  }

  /**
   * The backlog per priority and the commit-to-acknowledgement delays of deliveries from {@code
   * deliveredFromMs} on ({@link OutboxFigures#read}); {@code ackDelayMs} is called on the writer thread.
   */
  public CompletionStage<OutboxFigures> figures(long deliveredFromMs, LongConsumer ackDelayMs) {
    return call(() -> OutboxFigures.read(conn, clock.millis(), deliveredFromMs, ackDelayMs));
  }

  /** Why level 1/2 alarms are refused now, or null when they are accepted; answered by the writer thread. */
  public CompletionStage<String> writeRefusal() {
    return call(() -> diskFull ? "disk full" : storageFull ? "pending alerts at outbox.maxBytes" : null);
  }

  public Path databaseFile() {
    return dbFile;
  }

  // ---------------------------------------------------------------- writer thread

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  private <T> CompletionStage<T> call(SqlWork<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    if (!running) {
      f.completeExceptionally(new IllegalStateException("outbox is closed"));
      return f;
    }
    tasks.add((Runnable) () -> {
      try {
        f.complete(work.run());
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  private void runWriter() {
    boolean stop = false;
    while (!stop) {
      Object task;
      try {
        task = tasks.poll(HOUSEKEEPING_POLL_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (task == STOP) {
        stop = true;
      } else if (task instanceof Append first) {
        stop = gatherAndCommit(first);
      } else if (task != null) {
        ((Runnable) task).run();
      }
      housekeeping();
    }
    drainAfterStop();
    try {
      conn.close();
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "Outbox close failed. reason={0}", e.getMessage());
    }
  }

  /** Waits up to groupCommitMaxWaitMs for more appends, then commits them together. */
  private boolean gatherAndCommit(Append first) {
    List<Append> group = new ArrayList<>();
    List<Runnable> deferred = new ArrayList<>();
    group.add(first);
    int rows = first.drafts().size();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.groupCommitMaxWaitMs());
    boolean stop = false;
    while (rows < config.groupCommitMaxRows()) {
      Object next = tasks.poll();
      if (next == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          next = tasks.poll(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        if (next == null) {
          break;
        }
      }
      if (next == STOP) {
        stop = true;
        break;
      } else if (next instanceof Append a) {
        group.add(a);
        rows += a.drafts().size();
      } else {
        deferred.add((Runnable) next);
      }
    }
    commitGroup(group);
    deferred.forEach(Runnable::run);
    return stop;
  }

  private void drainAfterStop() {
    List<Append> rest = new ArrayList<>();
    Object t;
    while ((t = tasks.poll()) != null) {
      if (t instanceof Append a) {
        rest.add(a);
      } else if (t instanceof Runnable r) {
        r.run();
      }
    }
    commitGroup(rest);
    for (Append a : blocked) {
      a.done().completeExceptionally(new OverloadedException("outbox closed while storage was full"));
    }
    blocked.clear();
  }

  /**
   * Commits the decisions waiting for storage and then {@code group}, in order, in one transaction:
   * each decision's rule state, receipt and alerts together. While storage is full, the first
   * decision holding a level 1/2 alarm waits, and every decision behind it (decisions must not
   * overtake each other: their state changes and alerts build on the earlier ones); the alerts of
   * decisions ahead of it are shed and counted, their state committed. On a full disk the whole
   * group waits and is retried by the probe.
   */
  private void commitGroup(List<Append> group) {
    List<Append> ready = new ArrayList<>();
    List<Append> candidates = new ArrayList<>(blocked);
    candidates.addAll(group);
    blocked.clear();
    boolean shed = storageFull && !diskFull;
    for (Append a : candidates) {
      if (!blocked.isEmpty() || (shed && holdsAlarm(a))) {
        blocked.add(a);
      } else {
        ready.add(a);
      }
    }
    List<AlertDraft> own = List.copyOf(ownAlerts);
    if (ready.isEmpty() && own.isEmpty() && !diskFull) {
      return;
    }
    int committedPriority = 5;
    long seq = lastSequence;
    long bytes = 0;
    int count = 0;
    try (Inserts ins = new Inserts(conn)) {
      for (AlertDraft d : own) {
        bytes += insert(ins, d, ++seq);
        committedPriority = Math.min(committedPriority, d.level());
        count++;
      }
      if (!shed) {
        for (Append a : ready) {
          for (AlertDraft d : a.drafts()) {
            bytes += insert(ins, d, ++seq);
            committedPriority = Math.min(committedPriority, d.level());
            count++;
          }
        }
      }
      ruleTables.write(conn, ready.stream().map(Append::decision).toList());
      setMeta("last_sequence", seq);
      conn.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      resync();
      if (isStorageError(e)) {
        enterDiskFull(e);
        for (int i = ready.size() - 1; i >= 0; i--) {
          blocked.addFirst(ready.get(i));
        }
        evictForSpace();
      } else {
        logRateLimited("commit", Level.ERROR, "Outbox commit failed; decisions refused. reason=" + e.getMessage());
        counters.increment("outbox_commit_failed", "-", "sql_error");
        for (Append a : ready) {
          queuedAlerts.addAndGet(-a.weight());
          a.done().completeExceptionally(e);
        }
      }
      return;
    }
    lastSequence = seq;
    pendingRows += count;
    pendingBytes += bytes;
    ownAlerts.subList(0, own.size()).clear();
    counters.add("outbox_appended", count);
    counters.increment("outbox_commits");
    if (diskFull) {
      diskFull = false;
      LOG.log(Level.INFO, "Outbox storage writable again. pendingRows={0}", pendingRows);
      maybeLeaveStorageFull();
    }
    for (Append a : ready) {
      if (shed) {
        a.drafts().forEach(d -> evictions.count(d.device().deviceId(), "storage_full"));
      }
      queuedAlerts.addAndGet(-a.weight());
      a.done().complete(null);
    }
    enforceByteBound();
    if (count > 0) {
      for (Cursor c : cursors.values()) {
        c.commitListener.accept(committedPriority);
      }
    }
  }

  private static boolean holdsAlarm(Append a) {
    return a.drafts().stream().anyMatch(d -> d.level() <= 2 && !d.evictable());
  }

  /** The statements of one commit: a row, what each northbound owes of it, and the promotion of earlier rows. */
  private static final class Inserts implements AutoCloseable {
    final PreparedStatement row;
    final PreparedStatement pending;
    final PreparedStatement promote;
    final PreparedStatement promotePending;

    Inserts(Connection conn) throws SQLException {
      row = conn.prepareStatement(INSERT);
      pending = conn.prepareStatement(INSERT_PENDING);
      promote = conn.prepareStatement(PROMOTE);
      promotePending = conn.prepareStatement(PROMOTE_PENDING);
    }

    @Override
    public void close() throws SQLException {
      try (row; pending; promote; promotePending) {
        // closes all four
      }
    }
  }

  private int insert(Inserts ins, AlertDraft d, long seq) throws SQLException {
    byte[] payload = AlertEncoder.encode(d, seq, gatewayId).toByteArray();
    String device = d.device().deviceId();
    PreparedStatement row = ins.row;
    row.setLong(1, seq);
    row.setString(2, d.alertId());
    row.setString(3, device);
    row.setInt(4, d.type().protoNumber());
    row.setInt(5, d.level());
    row.setInt(6, d.state().protoNumber());
    row.setInt(7, d.level());
    row.setInt(8, evictClass(d));
    row.setLong(9, clock.millis());
    row.setInt(10, payload.length);
    row.setBytes(11, payload);
    row.executeUpdate();
    for (String consumer : consumers) {
      ins.pending.setLong(1, seq);
      ins.pending.setString(2, consumer);
      ins.pending.setInt(3, d.level());
      ins.pending.executeUpdate();
    }
    if (d.level() < 4) {
      // Earlier alerts of this device must not be overtaken: raise them to this priority, in every
      // northbound's queue first (the rows to raise are found by their old priority).
      for (PreparedStatement promote : List.of(ins.promotePending, ins.promote)) {
        promote.setInt(1, d.level());
        promote.setString(2, device);
        promote.setInt(3, d.level());
        promote.setLong(4, seq);
        promote.executeUpdate();
      }
    }
    return payload.length;
  }

  /**
   * 1: telemetry and summaries, evicted first; 0: alerts, evicted from level 4 then 3; -1: never
   * (the outbox's own eviction summary, which would otherwise vanish under the pressure it reports).
   */
  private int evictClass(AlertDraft d) {
    if (evictions.isSummary(d)) {
      return -1;
    }
    return d.evictable() ? 1 : 0;
  }

  private List<OutboxRow> fetch(Cursor cursor, int maxRows) throws SQLException {
    // First the keys alone (a covering index scan of this northbound's queue), skipping rows in
    // flight; then their payloads.
    Set<Long> inFlight = cursor.inFlight;
    List<Long> chosen = new ArrayList<>(maxRows);
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT sequence FROM pending WHERE consumer = ? ORDER BY priority, sequence LIMIT ?")) {
      ps.setString(1, cursor.name);
      ps.setInt(2, maxRows + inFlight.size());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && chosen.size() < maxRows) {
          long seq = rs.getLong(1);
          if (!inFlight.contains(seq)) {
            chosen.add(seq);
          }
        }
      }
    }
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
    conn.commit();
    for (OutboxRow r : out) {
      inFlight.add(r.sequence());
    }
    return out;
  }

  /** This northbound's acknowledged rows; those no other northbound still owes move to the history. */
  private void deliver(Cursor cursor, List<Long> sequences) throws SQLException {
    long now = clock.millis();
    long rows = 0;
    long bytes = 0;
    try {
      for (int from = 0; from < sequences.size(); from += IN_CHUNK) {
        List<Long> chunk = sequences.subList(from, Math.min(sequences.size(), from + IN_CHUNK));
        String in = "sequence IN (" + "?,".repeat(chunk.size() - 1) + "?)";
        String owedByNone = " FROM outbox WHERE " + in
            + " AND NOT EXISTS (SELECT 1 FROM pending p WHERE p.sequence = outbox.sequence)";
        try (PreparedStatement owed = conn.prepareStatement("DELETE FROM pending WHERE consumer = ? AND " + in);
            PreparedStatement size = conn.prepareStatement("SELECT count(*), coalesce(sum(bytes), 0)" + owedByNone);
            PreparedStatement hist = conn.prepareStatement("INSERT OR IGNORE INTO history(sequence, alert_id, device_id,"
                + " type, level, state, created_ms, delivered_ms) SELECT sequence, alert_id, device_id, type, level,"
                + " state, created_ms, " + now + owedByNone);
            PreparedStatement del = conn.prepareStatement("DELETE" + owedByNone)) {
          owed.setString(1, cursor.name);
          for (int k = 0; k < chunk.size(); k++) {
            owed.setLong(k + 2, chunk.get(k));
            size.setLong(k + 1, chunk.get(k));
            hist.setLong(k + 1, chunk.get(k));
            del.setLong(k + 1, chunk.get(k));
          }
          owed.executeUpdate();
          try (ResultSet rs = size.executeQuery()) {
            rs.next();
            rows += rs.getLong(1);
            bytes += rs.getLong(2);
          }
          hist.executeUpdate();
          del.executeUpdate();
        }
      }
      conn.commit();
    } finally {
      sequences.forEach(cursor.inFlight::remove);
    }
    pendingRows -= rows;
    pendingBytes -= bytes;
    counters.add("outbox_delivered", rows);
    maybeLeaveStorageFull();
  }

  // ---------------------------------------------------------------- bounds and eviction

  private void enforceByteBound() {
    if (pendingBytes <= config.maxBytes()) {
      return;
    }
    try {
      evict("bytes", Long.MIN_VALUE);
    } catch (SQLException e) {
      rollbackQuietly();
      logRateLimited("evict", Level.ERROR, "Outbox eviction failed. reason=" + e.getMessage());
    }
    if (pendingBytes > config.maxBytes() && !storageFull) {
      storageFull = true;
      raiseStorageAlert("only level 1/2 alarms left and the outbox is over its byte bound (maxBytes="
          + config.maxBytes() + ")");
    }
  }

  /**
   * Deletes evictable rows (telemetry and summaries, then level 4, then level 3; oldest first) until
   * pending bytes are within the bound. With {@code olderThanMs} set, evicts every evictable row
   * created before it instead.
   */
  private void evict(String reason, long olderThanMs) throws SQLException {
    boolean byAge = olderThanMs != Long.MIN_VALUE;
    String sql = "SELECT sequence, device_id, bytes FROM outbox WHERE (evictable = 1 OR (evictable = 0 AND level >= 3))"
        + (byAge ? " AND created_ms < ?" : "") + " ORDER BY evictable DESC, level DESC, sequence LIMIT " + EVICT_CHUNK;
    while (byAge || pendingBytes > config.maxBytes()) {
      List<long[]> victims = new ArrayList<>();
      List<String> devices = new ArrayList<>();
      try (PreparedStatement ps = conn.prepareStatement(sql)) {
        if (byAge) {
          ps.setLong(1, olderThanMs);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            victims.add(new long[] {rs.getLong(1), rs.getLong(3)});
            devices.add(rs.getString(2));
          }
        }
      }
      if (victims.isEmpty()) {
        conn.commit();
        return;
      }
      long freed = 0;
      int i = 0;
      try (PreparedStatement del = conn.prepareStatement("DELETE FROM outbox WHERE sequence = ?");
          PreparedStatement owed = conn.prepareStatement("DELETE FROM pending WHERE sequence = ?")) {
        while (i < victims.size() && (byAge || pendingBytes - freed > config.maxBytes())) {
          del.setLong(1, victims.get(i)[0]);
          del.executeUpdate();
          owed.setLong(1, victims.get(i)[0]);
          owed.executeUpdate();
          freed += victims.get(i)[1];
          i++;
        }
      }
      conn.commit();
      for (int k = 0; k < i; k++) {
        forgetInFlight(victims.get(k)[0]);
        evictions.count(devices.get(k), reason);
      }
      pendingRows -= i;
      pendingBytes -= freed;
    }
  }

  /** On a full disk, deleting a chunk of telemetry lets SQLite reuse its pages for alarms. */
  private void evictForSpace() {
    List<Long> seqs = new ArrayList<>();
    List<String> devices = new ArrayList<>();
    long freed = 0;
    try (PreparedStatement ps = conn.prepareStatement("SELECT sequence, device_id, bytes FROM outbox"
            + " WHERE evictable = 1 ORDER BY sequence LIMIT " + EVICT_CHUNK);
        PreparedStatement del = conn.prepareStatement("DELETE FROM outbox WHERE sequence = ?");
        PreparedStatement owed = conn.prepareStatement("DELETE FROM pending WHERE sequence = ?")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seqs.add(rs.getLong(1));
          devices.add(rs.getString(2));
          freed += rs.getLong(3);
        }
      }
      for (long s : seqs) {
        del.setLong(1, s);
        del.executeUpdate();
        owed.setLong(1, s);
        owed.executeUpdate();
      }
      conn.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      return;
    }
    for (int k = 0; k < seqs.size(); k++) {
      forgetInFlight(seqs.get(k));
      evictions.count(devices.get(k), "disk_full");
    }
    pendingRows -= seqs.size();
    pendingBytes -= freed;
    if (!seqs.isEmpty()) {
      LOG.log(Level.WARNING, "Outbox evicted telemetry to free disk space. rows={0} bytes={1}", seqs.size(), freed);
    }
  }

  /** An evicted row is in flight nowhere any more. */
  private void forgetInFlight(long sequence) {
    for (Cursor c : cursors.values()) {
      c.inFlight.remove(sequence);
    }
  }

  private void enterDiskFull(SQLException e) {
    if (!diskFull) {
      diskFull = true;
      LOG.log(Level.ERROR, "Outbox storage is full; refusing level 1/2 alarms and shedding the rest until space returns."
          + " file={0} reason={1}", dbFile, e.getMessage());
      counters.increment("outbox_disk_full");
      if (storageAlertId == null) {
        raiseStorageAlert("disk full: " + e.getMessage());
      }
    }
  }

  private void raiseStorageAlert(String why) {
    storageAlertId = "gw-storage-" + gatewayId + "-" + clock.millis();
    LOG.log(Level.ERROR, "Outbox storage full; level 1/2 alarms are refused (devices retransmit). reason={0}", why);
    ownAlerts.add(gatewayAlert(storageAlertId, CanonicalType.GATEWAY_FAULT, 2, AlertState.RAISED,
        "outbox_storage_full", "Outbox storage full: " + why, Map.of(), List.of()));
  }

  private void maybeLeaveStorageFull() {
    if (storageFull && pendingBytes <= config.maxBytes() * RESUME_RATIO) {
      storageFull = false;
    }
    if (!storageFull && !diskFull && storageAlertId != null) {
      LOG.log(Level.INFO, "Outbox storage available again. pendingBytes={0}", pendingBytes);
      ownAlerts.add(gatewayAlert(storageAlertId, CanonicalType.GATEWAY_FAULT, 2, AlertState.CLEARED,
          "outbox_storage_full", "Outbox storage available again", Map.of(), List.of()));
      storageAlertId = null;
    }
  }

  private AlertDraft gatewayAlert(String id, CanonicalType type, int level, AlertState state, String code,
      String description, Map<String, String> attributes, List<Measurement> measurements) {
    return GatewayAlerts.of(gatewayId, id, type, level, state, code, description, attributes, measurements,
        clock.instant());
  }

  // ---------------------------------------------------------------- housekeeping

  private void housekeeping() {
    long now = clock.millis();
    AlertDraft summary = evictions.due();
    if (summary != null) {
      ownAlerts.add(summary);
    }
    if (now - lastAgeAndHistoryMs >= AGE_AND_HISTORY_EVERY_MS) {
      lastAgeAndHistoryMs = now;
      try {
        evict("age", now - TimeUnit.HOURS.toMillis(config.maxAgeHours()));
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM history WHERE delivered_ms < ?")) {
          ps.setLong(1, now - TimeUnit.DAYS.toMillis(config.historyDays()));
          ps.executeUpdate();
        }
        conn.commit();
      } catch (SQLException e) {
        rollbackQuietly();
        logRateLimited("housekeeping", Level.WARNING, "Outbox housekeeping failed. reason=" + e.getMessage());
      }
    }
    if (!ownAlerts.isEmpty() || diskFull || !blocked.isEmpty()) {
      // Commits the gateway's own alerts and retries waiting decisions; on a full disk this doubles
      // as the probe that notices space returning.
      commitGroup(List.of());
    }
  }

  // ---------------------------------------------------------------- open, schema, corrupt file

  private void open() throws SQLException, IOException {
    openOrMoveAside();
    LegacyRuleState.importIfPresent(conn, dataDir, clock.millis());
    loadedRuleState = Map.copyOf(RuleStateTables.loadState(conn));
    loadedReceipts = Map.copyOf(ruleTables.loadReceipts(conn));
    conn.commit();
  }

  private void openOrMoveAside() throws SQLException, IOException {
    try {
      openAndCheck();
    } catch (SQLException e) {
      closeQuietly();
      Path aside = SqliteFiles.moveAside(dbFile, "corrupt", clock.millis());
      LOG.log(Level.ERROR, "Outbox database could not be opened; moved aside and a new one started."
          + " file={0} movedTo={1} reason={2}", dbFile, aside, e.getMessage());
      counters.increment("outbox_db_moved_aside");
      openAndCheck();
      // The old file's sequence is unknown: continue above any sequence it could have given out.
      lastSequence = Math.max(lastSequence, clock.millis() * 1000);
      setMeta("last_sequence", lastSequence);
      conn.commit();
      ownAlerts.add(gatewayAlert("gw-outbox-db-" + gatewayId + "-" + clock.millis(), CanonicalType.GATEWAY_FAULT, 2,
          AlertState.RAISED, "outbox_db_moved_aside",
          "Outbox database could not be opened and was moved aside to " + aside.getFileName() + ": " + e.getMessage(),
          Map.of("moved_to", aside.getFileName().toString()), List.of()));
    }
  }

  private void openAndCheck() throws SQLException {
    conn = SqliteFiles.openWal(dbFile, config.synchronous().name());
    try (Statement st = conn.createStatement()) {
      OutboxSchema.create(st);
      Consumers.reconcile(conn, consumers, clock.millis());
      try (ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'last_sequence'")) {
        lastSequence = rs.next() ? rs.getLong(1) : 0;
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(bytes), 0), coalesce(max(sequence), 0) FROM outbox")) {
        rs.next();
        pendingRows = rs.getLong(1);
        pendingBytes = rs.getLong(2);
        lastSequence = Math.max(lastSequence, rs.getLong(3));
      }
    }
    conn.commit();
    if (pendingRows > 0) {
      LOG.log(Level.INFO, "Outbox resumes undelivered alerts. pendingRows={0} lastSequence={1}", pendingRows, lastSequence);
    }
  }

  private void setMeta(String key, long value) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")) {
      ps.setString(1, key);
      ps.setLong(2, value);
      ps.executeUpdate();
    }
  }

  private long count(String table) throws SQLException {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      long n = rs.getLong(1);
      conn.commit();
      return n;
    }
  }

  private static boolean isStorageError(SQLException e) {
    if (e instanceof SQLiteException se) {
      int primary = se.getResultCode().code & 0xff;
      return primary == SQLiteErrorCode.SQLITE_FULL.code || primary == SQLiteErrorCode.SQLITE_IOERR.code;
    }
    return false;
  }

  private void rollbackQuietly() {
    try {
      SqliteFiles.rollback(conn);
    } catch (SQLException e) {
      logRateLimited("rollback", Level.WARNING, "Outbox rollback failed. reason=" + e.getMessage());
    }
  }

  /** After a failed write, re-reads what is really stored so counts and the next sequence are exact. */
  private void resync() {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(bytes), 0), coalesce(max(sequence), 0) FROM outbox")) {
      rs.next();
      pendingRows = rs.getLong(1);
      pendingBytes = rs.getLong(2);
      lastSequence = Math.max(lastSequence, rs.getLong(3));
      conn.commit();
    } catch (SQLException e) {
      rollbackQuietly();
    }
  }

  private void closeQuietly() {
    try {
      if (conn != null) {
        conn.close();
      }
    } catch (SQLException ignored) {
      // The file is being moved aside; nothing more to do with this connection.
    }
  }

  private void logRateLimited(String key, Level level, String message) {
    rateLimitedLog.log(level, key, message);
  }

}
