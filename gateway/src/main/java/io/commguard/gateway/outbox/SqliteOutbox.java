package io.commguard.gateway.outbox;

import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.pipeline.AlertStore;
import io.commguard.gateway.pipeline.Decision;
import io.commguard.gateway.pipeline.OverloadedException;
import io.commguard.gateway.sqlite.SqliteFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * The SQLite outbox (file {@code outbox.db} in the data directory): the writer thread, group commit
 * of rule decisions, and one {@link OutboxCursor} per northbound.
 *
 * <p>Threading: one writer thread owns the writing connection; the cursors' fetches run on a reader
 * thread with a read-only connection of its own (WAL: it sees the last commit and never waits for
 * the writer), which also owns the cursors' in-flight sets. {@link #commit} puts a rule decision on a
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
 * <p>The rest is split by concern: the open file and its counts ({@link OutboxFile}), schema
 * ({@link OutboxSchema}), alert rows ({@link RowInserts}), the northbounds' queues ({@link
 * Consumers}), bounds ({@link Eviction}, {@link EvictionSummary}), storage and disk full ({@link
 * StorageFull}), periodic work ({@link Housekeeping}), the rule state's tables ({@link
 * RuleStateTables}) and the upgrade from a separate rule-state file ({@link LegacyRuleState}).
 * Order, bounds, eviction, history and the corrupt-database procedure are described in
 * docs/delivery.md.
 */
public final class SqliteOutbox implements AlertStore, Outbox {
  private static final System.Logger LOG = System.getLogger(SqliteOutbox.class.getName());
  private static final Object STOP = new Object();
  private static final long HOUSEKEEPING_POLL_MS = 500;

  /** A queued decision; {@code weight} is what it counts against {@code queueCapacity}. */
  private record Append(Decision decision, CompletableFuture<Void> done, int weight) {
    List<AlertDraft> drafts() {
      return decision.alerts();
    }
  }

  private final OutboxConfig config;
  private final Path dataDir;
  private final String gatewayId;
  private final Counters counters;
  private final Clock clock;
  private final LinkedBlockingQueue<Object> tasks = new LinkedBlockingQueue<>();
  private final AtomicInteger queuedAlerts = new AtomicInteger();
  private final RateLimitedLog rateLimitedLog = new RateLimitedLog(LOG, 10_000);
  private final OutboxFile db;
  private volatile boolean running;
  private volatile Consumers consumers = new Consumers(List.of());
  private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();
  private Thread writer;
  /** The northbounds' reads: a read-only connection of its own, so they never queue behind a commit. */
  private ExecutorService reader;
  private Connection readConn;

  // Writer-thread state.
  /** Decisions waiting for storage, oldest first; every later decision waits behind them. */
  private final ArrayDeque<Append> blocked = new ArrayDeque<>();
  private final RuleStateTables ruleTables = new RuleStateTables();
  private Map<String, String> loadedRuleState = Map.of();
  private Map<String, List<String>> loadedReceipts = Map.of();
  /** The gateway's own alerts (storage, moved-aside file, eviction summary), committed with the next group. */
  private final List<AlertDraft> ownAlerts = new ArrayList<>();
  private EvictionSummary evictions;
  private StorageFull storage;
  private Eviction eviction;
  private Housekeeping housekeeping;

  public SqliteOutbox(OutboxConfig config, Path dataDir, String gatewayId, Counters counters) {
    this(config, dataDir, gatewayId, counters, Clock.systemUTC());
  }

  SqliteOutbox(OutboxConfig config, Path dataDir, String gatewayId, Counters counters, Clock clock) {
    this.config = config;
    this.dataDir = dataDir;
    this.gatewayId = gatewayId;
    this.counters = counters;
    this.clock = clock;
    this.db = new OutboxFile(dataDir.resolve("outbox.db"), config.synchronous().name(), rateLimitedLog);
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
    this.consumers = new Consumers(consumers);
    for (String name : consumers) {
      cursors.put(name, new Cursor(name));
    }
    try {
      Files.createDirectories(dataDir);
      open();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the outbox in " + dataDir, e);
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException("Cannot open the outbox " + db.path + ": " + e.getMessage(), e));
    }
    evictions = new EvictionSummary(gatewayId, counters, clock, config.summaryIntervalMs());
    storage = new StorageFull(gatewayId, config.maxBytes(), db.path, counters, clock, ownAlerts);
    eviction = new Eviction(db, config.maxBytes(), evictions, this::forgetInFlight, rateLimitedLog);
    housekeeping = new Housekeeping(db, eviction, evictions, config.maxAgeHours(), config.historyDays(), clock,
        ownAlerts, rateLimitedLog);
    try {
      readConn = SqliteFiles.openWalReader(db.path);
    } catch (SQLException e) {
      db.close();
      throw new UncheckedIOException(new IOException("Cannot open the outbox " + db.path + " for reading: "
          + e.getMessage(), e));
    }
    reader = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "outbox-reader");
      t.setDaemon(true);
      return t;
    });
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
      reader.shutdown();
      reader.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      readConn.close();
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "Outbox reader close failed. reason={0}", e.getMessage());
    }
  }

  @Override
  public OutboxCursor cursor(String consumer) {
    Cursor c = cursors.get(consumer);
    if (c == null) {
      throw new IllegalArgumentException("The outbox was not started for northbound " + consumer + "; it serves "
          + consumers.names());
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

  public CompletionStage<OutboxStats> stats() {
    return call(() -> new OutboxStats(db.pendingRows, db.pendingBytes,
        cursors.values().stream().mapToInt(c -> c.inFlight.size()).sum(), db.count("history"), db.lastSequence,
        storage.any()));
  }

  /**
   * The backlog per priority and the commit-to-acknowledgement delays of deliveries from {@code
   * deliveredFromMs} on ({@link OutboxFigures#read}); {@code ackDelayMs} is called on the writer thread.
   */
  public CompletionStage<OutboxFigures> figures(long deliveredFromMs, LongConsumer ackDelayMs) {
    return call(() -> OutboxFigures.read(db.conn, clock.millis(), deliveredFromMs, ackDelayMs));
  }

  /** Why level 1/2 alarms are refused now, or null when they are accepted; answered by the writer thread. */
  public CompletionStage<String> writeRefusal() {
    return call(storage::refusal);
  }

  public Path databaseFile() {
    return db.path;
  }

  /**
   * One northbound's cursor. It reads on the reader thread, which owns its in-flight set (sizes are
   * read anywhere); the writer tells it of rows that left the outbox only after their commit, on the
   * reader thread, so no read can see a row that left and find it not in flight.
   */
  private final class Cursor implements OutboxCursor {
    private final String name;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private volatile IntConsumer commitListener = priority -> {};

    Cursor(String name) {
      this.name = name;
    }

    @Override
    public CompletionStage<List<OutboxRow>> nextBatch(int maxRows, int oldestRows) {
      return read(() -> {
        List<OutboxRow> rows = consumers.next(readConn, name, inFlight, maxRows, oldestRows);
        readConn.commit();
        rows.forEach(r -> inFlight.add(r.sequence()));
        return rows;
      });
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
      onReader(() -> copy.forEach(inFlight::remove));
    }

    @Override
    public void releaseAll() {
      onReader(inFlight::clear);
    }

    /** Called on the writer thread after each commit with the most urgent priority (1..4) committed. */
    @Override
    public void setCommitListener(IntConsumer listener) {
      this.commitListener = listener;
    }
  }

  // ---------------------------------------------------------------- reader thread

  private <T> CompletionStage<T> read(SqlWork<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    if (!running) {
      f.completeExceptionally(new IllegalStateException("outbox is closed"));
      return f;
    }
    onReader(() -> {
      try {
        f.complete(work.run());
      } catch (SQLException | RuntimeException e) {
        try {
          SqliteFiles.rollback(readConn);
        } catch (SQLException ignored) {
          // the read is reported failed below; the next read starts a new transaction
        }
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  private void onReader(Runnable task) {
    try {
      reader.execute(task);
    } catch (RejectedExecutionException closed) {
      // close() has stopped the reader; nothing is in flight any more.
    }
  }

  // ---------------------------------------------------------------- writer thread

  interface SqlWork<T> {
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
        db.rollbackQuietly();
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
      housekeeping.run();
      if (!ownAlerts.isEmpty() || storage.diskFull() || !blocked.isEmpty()) {
        // Commits the gateway's own alerts and retries waiting decisions; on a full disk this
        // doubles as the probe that notices space returning.
        commitGroup(List.of());
      }
    }
    drainAfterStop();
    db.close();
  }

  /**
   * Takes what is queued and, while appends keep arriving, waits up to groupCommitMaxWaitMs for more,
   * then commits them together. An append that found the writer idle, and a group holding a level-1
   * alert, wait for nobody: under load the appends that queue during one fsync share the next.
   */
  private boolean gatherAndCommit(Append first) {
    List<Append> group = new ArrayList<>();
    List<Runnable> deferred = new ArrayList<>();
    group.add(first);
    int rows = first.drafts().size();
    boolean urgent = holdsLevel1(first);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.groupCommitMaxWaitMs());
    boolean stop = false;
    while (rows < config.groupCommitMaxRows()) {
      Object next = tasks.poll();
      if (next == null) {
        long left = urgent || group.size() == 1 ? 0 : deadline - System.nanoTime();
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
        urgent |= holdsLevel1(a);
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
    boolean shed = storage.shedding();
    for (Append a : candidates) {
      if (!blocked.isEmpty() || (shed && holdsAlarm(a))) {
        blocked.add(a);
      } else {
        ready.add(a);
      }
    }
    List<AlertDraft> own = List.copyOf(ownAlerts);
    if (ready.isEmpty() && own.isEmpty() && !storage.diskFull()) {
      return;
    }
    int committedPriority = 5;
    long seq = db.lastSequence;
    long bytes = 0;
    int count = 0;
    try (RowInserts rows = new RowInserts(db.conn, consumers, gatewayId, evictions, clock.millis())) {
      for (AlertDraft d : own) {
        bytes += rows.insert(d, ++seq);
        committedPriority = Math.min(committedPriority, d.level());
        count++;
      }
      if (!shed) {
        for (Append a : ready) {
          for (AlertDraft d : a.drafts()) {
            bytes += rows.insert(d, ++seq);
            committedPriority = Math.min(committedPriority, d.level());
            count++;
          }
        }
      }
      ruleTables.write(db.conn, ready.stream().map(Append::decision).toList());
      db.setMeta("last_sequence", seq);
      db.conn.commit();
    } catch (SQLException e) {
      db.rollbackQuietly();
      db.resync();
      if (StorageFull.isStorageError(e)) {
        storage.enterDiskFull(e);
        for (int i = ready.size() - 1; i >= 0; i--) {
          blocked.addFirst(ready.get(i));
        }
        eviction.evictForSpace();
      } else {
        rateLimitedLog.log(Level.ERROR, "commit", "Outbox commit failed; decisions refused. reason=" + e.getMessage());
        counters.increment("outbox_commit_failed", "-", "sql_error");
        for (Append a : ready) {
          queuedAlerts.addAndGet(-a.weight());
          a.done().completeExceptionally(e);
        }
      }
      return;
    }
    db.lastSequence = seq;
    db.pendingRows += count;
    db.pendingBytes += bytes;
    ownAlerts.subList(0, own.size()).clear();
    counters.add("outbox_appended", count);
    counters.increment("outbox_commits");
    storage.committed(db.pendingRows, db.pendingBytes);
    for (Append a : ready) {
      if (shed) {
        a.drafts().forEach(d -> evictions.count(d.device().deviceId(), "storage_full"));
      }
      queuedAlerts.addAndGet(-a.weight());
      a.done().complete(null);
    }
    eviction.enforceByteBound();
    storage.afterEviction(db.pendingBytes);
    if (count > 0) {
      for (Cursor c : cursors.values()) {
        c.commitListener.accept(committedPriority);
      }
    }
  }

  private static boolean holdsLevel1(Append a) {
    return a.drafts().stream().anyMatch(d -> d.level() == 1);
  }

  private static boolean holdsAlarm(Append a) {
    return a.drafts().stream().anyMatch(d -> d.level() <= 2 && !d.evictable());
  }

  /**
   * This northbound's acknowledged rows; those no other northbound still owes move to the history.
   * Committed without an fsync of its own: a delivery lost to a power cut only means the rows are
   * sent again (delivery is at least once), and the next commit's fsync covers it anyway (the WAL
   * is written in order).
   */
  private void deliver(Cursor cursor, List<Long> sequences) throws SQLException {
    long[] left;
    try {
      left = db.withoutSync(() -> consumers.delivered(db.conn, cursor.name, sequences, clock.millis()));
    } finally {
      onReader(() -> sequences.forEach(cursor.inFlight::remove));
    }
    db.pendingRows -= left[0];
    db.pendingBytes -= left[1];
    counters.add("outbox_delivered", left[0]);
    storage.leaveIfRoom(db.pendingBytes);
  }

  /** Evicted rows (already committed) are in flight nowhere any more. */
  private void forgetInFlight(List<Long> sequences) {
    onReader(() -> {
      for (Cursor c : cursors.values()) {
        sequences.forEach(c.inFlight::remove);
      }
    });
  }

  // ---------------------------------------------------------------- open, corrupt file

  private void open() throws SQLException, IOException {
    try {
      db.open(consumers, clock.millis());
    } catch (SQLException e) {
      db.close();
      Path aside = SqliteFiles.moveAside(db.path, "corrupt", clock.millis());
      LOG.log(Level.ERROR, "Outbox database could not be opened; moved aside and a new one started."
          + " file={0} movedTo={1} reason={2}", db.path, aside, e.getMessage());
      counters.increment("outbox_db_moved_aside");
      db.open(consumers, clock.millis());
      // The old file's sequence is unknown: continue above any sequence it could have given out.
      db.numberAbove(clock.millis() * 1000);
      ownAlerts.add(GatewayAlerts.of(gatewayId, "gw-outbox-db-" + gatewayId + "-" + clock.millis(),
          CanonicalType.GATEWAY_FAULT, 2, AlertState.RAISED, "outbox_db_moved_aside",
          "Outbox database could not be opened and was moved aside to " + aside.getFileName() + ": " + e.getMessage(),
          Map.of("moved_to", aside.getFileName().toString()), List.of(), clock.instant()));
    }
    LegacyRuleState.importIfPresent(db.conn, dataDir, clock.millis());
    loadedRuleState = Map.copyOf(RuleStateTables.loadState(db.conn));
    loadedReceipts = Map.copyOf(ruleTables.loadReceipts(db.conn));
    db.conn.commit();
  }
}
