package io.commguard.gateway.northbound;

import com.google.protobuf.InvalidProtocolBufferException;
import io.commguard.alert.v1.Ack;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.outbox.GatewayAlerts;
import io.commguard.gateway.outbox.Outbox;
import io.commguard.gateway.outbox.OutboxCursor;
import io.commguard.gateway.outbox.OutboxRow;
import io.commguard.gateway.wire.Acks;
import io.commguard.gateway.wire.AlertEncoder;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers the outbox over one {@link Transport}, whatever the transport is: batches of committed
 * alerts ({@code AlertBatch}), an in-flight window, acknowledgements matched to what was sent,
 * deadlines per level, resends, reconnects, link health and the link's own fault alert.
 *
 * <p>Threading: all state lives on one scheduler thread named after the northbound ({@code uplink}
 * for the MQTT one); transport callbacks and outbox futures hop onto it. Nothing here runs on a
 * Vert.x event loop or touches the disk (the outbox's writer does). The in-flight window ({@code
 * inFlightBatches}, plus one slot kept for batches led by a level-1 alert) bounds memory; the
 * backlog stays in SQLite.
 *
 * <p>Link health comes from acknowledgements: a batch not acknowledged within the deadline of its
 * most urgent alert's level goes back to the outbox and is resent (in a new batch, in priority
 * order); after {@value #TIMEOUTS_BEFORE_RECONNECT} timeouts in a row the link is declared not
 * delivering, a fault alert is stored, and the connection is dropped and re-established.
 * Reconnects use exponential backoff with jitter.
 *
 * <p>Counters are named after the northbound: {@code <name>_batches_sent}, {@code
 * <name>_alerts_acked}, … ({@code uplink_…} for the MQTT uplink).
 */
public final class Delivery {
  private static final System.Logger LOG = System.getLogger(Delivery.class.getName());
  /** With platform acks a reachable broker is not enough: the city's receiver must answer, and an installer should be told so. */
  private static final String NO_PLATFORM_ACK_HINT =
      " (ackMode PLATFORM: the city's receiver acknowledges each batch; a running broker with no receiver answering looks like this)";
  static final int TIMEOUTS_BEFORE_RECONNECT = 3;
  private static final long BACKOFF_MIN_MS = 250;
  private static final long BACKOFF_MAX_MS = 5_000;
  /** One alert in this many of a fetch (outside the level-1 slot) is the oldest outstanding. */
  static final int OLDEST_SHARE = 8;

  private record InFlight(long batchSequence, List<Long> sequences, Map<Long, String> alertIds, long deadlineNanos,
      int level, boolean urgent) {}

  private final String name;
  private final String gatewayId;
  private final DeliveryOptions options;
  private final Transport transport;
  private final Outbox outbox;
  private OutboxCursor cursor;
  private final Counters counters;
  private final RateLimitedLog foreignAcks = new RateLimitedLog(LOG, 60_000);
  private final ScheduledExecutorService exec;

  // Delivery-thread state.
  private Session session;
  private boolean running;
  private boolean connected;
  private boolean fetching;
  /** A pump was asked for while a fetch was under way: it may have read too early to see a commit. */
  private boolean pumpAgain;
  private boolean pumpScheduled;
  private int reconnectAttempt;
  private int consecutiveTimeouts;
  private long nextBatchSequence;
  private final Map<Long, InFlight> inFlight = new LinkedHashMap<>();
  private final Map<Long, Long> batchOfSequence = new HashMap<>();
  private final Map<String, List<Long>> sequencesOfAlertId = new HashMap<>();
  private ScheduledFuture<?> ticker;
  private String faultAlertId;
  private volatile boolean healthy;

  /**
   * @param name the northbound's name: its thread, its counters' prefix and its cursor in the outbox
   *     (which must have been started with it)
   */
  public Delivery(String name, String gatewayId, DeliveryOptions options, Transport transport, Outbox outbox,
      Counters counters) {
    this.name = name;
    this.gatewayId = gatewayId;
    this.options = options;
    this.transport = transport;
    this.outbox = outbox;
    this.counters = counters;
    ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    // At stop, a pending reconnect or connect deadline has nothing left to do: do not wait for it.
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.exec = thread;
  }

  public String name() {
    return name;
  }

  /** Starts connecting in the background; returns at once. The outbox must have been started with this name. */
  public void start() {
    cursor = outbox.cursor(name);
    // Batch sequences keep rising across restarts without being stored: start from the clock.
    nextBatchSequence = System.currentTimeMillis() * 1000;
    cursor.setCommitListener(priority -> onDeliveryThread(() -> onCommitted(priority)));
    onDeliveryThread(() -> {
      running = true;
      connect();
      long tick = Math.max(50, Math.min(500, options.shortestAckTimeoutMs() / 4));
      try {
        ticker = exec.scheduleWithFixedDelay(guarded(this::checkTimeouts), tick, tick, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopped) {
        // stop() came while connecting (a SIGTERM during start-up) and has shut the thread down.
      }
    });
  }

  /** Disconnects; unacknowledged batches stay in the outbox for the next start. Blocks up to 5 s. */
  public void stop() {
    onDeliveryThread(() -> {
      running = false;
      if (ticker != null) {
        ticker.cancel(false);
      }
      dropInFlight();
      session = null;
      transport.close();
      connected = false;
      healthy = false;
    });
    exec.shutdown();
    try {
      exec.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** True while connected and acknowledgements arrive within the deadline. */
  public boolean healthy() {
    return healthy;
  }

  // ---------------------------------------------------------------- connection

  /** One connection's events; those of a connection given up on are ignored. */
  private final class Session implements Transport.Session {
    @Override
    public void lost(String reason) {
      onDeliveryThread(() -> onConnectionLost(this, reason));
    }

    @Override
    public void ackReceived(byte[] payload) {
      Ack ack;
      try {
        ack = Acks.parse(payload);
      } catch (InvalidProtocolBufferException e) {
        counters.increment(name + "_bad_ack", gatewayId, "malformed_protobuf");
        return;
      }
      onDeliveryThread(() -> {
        if (this == session) {
          onAck(ack);
        }
      });
    }
  }

  private void connect() {
    if (!running || session != null) {
      return;
    }
    Session s = new Session();
    session = s;
    try {
      transport.connect(s).whenComplete((ok, error) -> onDeliveryThread(() -> {
        if (error == null) {
          onConnected(s);
        } else {
          onConnectFailed(s, error);
        }
      }));
    } catch (RuntimeException e) {
      onConnectFailed(s, e);
      return;
    }
    // A link that swallows the connect (a half-dead TCP path) must not hang delivery for good:
    // give up after the connect timeout and start over.
    later(() -> {
      if (s == session && !connected) {
        onConnectFailed(s, new TimeoutException("not ready within " + options.connectTimeoutMs() + " ms"));
      }
    }, options.connectTimeoutMs());
  }

  private void onConnected(Session s) {
    if (s != session || !running) {
      return;
    }
    connected = true;
    healthy = true;
    reconnectAttempt = 0;
    consecutiveTimeouts = 0;
    counters.increment(name + "_connected");
    LOG.log(Level.INFO, "Northbound connected. name={0} endpoint={1} platformAcks={2}", name, transport.endpoint(),
        options.platformAcks());
    pump();
  }

  private void onConnectFailed(Session s, Throwable error) {
    if (s != session || !running) {
      return;
    }
    session = null;
    connected = false;
    healthy = false;
    transport.drop();
    counters.increment(name + "_connect_failed");
    long delay = backoffMs();
    LOG.log(reconnectAttempt <= 1 ? Level.WARNING : Level.DEBUG,
        "Northbound cannot connect; retrying. name={0} endpoint={1} retryInMs={2} reason={3}", name,
        transport.endpoint(), delay, transport.describe(error));
    later(this::connect, delay);
  }

  private void onConnectionLost(Session s, String reason) {
    if (s != session || !connected || !running) {
      return;
    }
    session = null;
    connected = false;
    healthy = false;
    counters.increment(name + "_connection_lost");
    LOG.log(Level.WARNING, "Northbound connection lost; unacknowledged batches go back to the outbox. name={0}"
        + " endpoint={1} reason={2}", name, transport.endpoint(), reason);
    dropInFlight();
    transport.drop();
    later(this::connect, backoffMs());
  }

  /** Exponential backoff with full jitter between half and all of the step. */
  private long backoffMs() {
    int attempt = Math.min(reconnectAttempt++, 16);
    long step = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS << attempt);
    return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
  }

  // ---------------------------------------------------------------- sending

  private void onCommitted(int priority) {
    // Waiting for a batch to fill pays only while earlier batches are unacknowledged: an idle link
    // sends at once, so batches grow with load instead of every alert below level 1 waiting.
    if (priority == 1 || inFlight.isEmpty()) {
      pump();
    } else if (!pumpScheduled) {
      // Let a batch fill for up to batchMaxDelayMs before fetching it.
      pumpScheduled = true;
      later(() -> {
        pumpScheduled = false;
        pump();
      }, options.batchMaxDelayMs());
    }
  }

  private void pump() {
    if (!running || !connected) {
      return;
    }
    if (fetching) {
      pumpAgain = true;
      return;
    }
    long normal = inFlight.values().stream().filter(b -> !b.urgent()).count();
    boolean urgentFree = inFlight.values().stream().noneMatch(InFlight::urgent);
    if (normal >= options.inFlightBatches() && !urgentFree) {
      return;
    }
    boolean urgentOnly = normal >= options.inFlightBatches();
    // One read fills every free slot: reads queue behind group commits on the outbox's writer
    // thread, so during an alarm storm one batch per read capped delivery at ~14 batches/s
    // (bench alert-storm scenario, docs/benchmarks.md).
    int batches = urgentOnly ? 1 : (int) (options.inFlightBatches() - normal);
    int max = options.batchMaxAlerts();
    fetching = true;
    pumpAgain = false;
    // Strict priority could hold lower levels back for as long as urgent alerts keep coming: a share
    // of every fetch beyond the level-1 slot goes to the oldest alerts, whatever their level.
    int oldest = urgentOnly ? 0 : max * batches / OLDEST_SHARE;
    cursor.nextBatch(max * batches, oldest).whenCompleteAsync((rows, error) -> {
      fetching = false;
      if (error != null) {
        LOG.log(Level.ERROR, "Northbound cannot read the outbox. name={0} reason={1}", name, error.getMessage());
        return;
      }
      boolean more = false;
      for (int from = 0; from < rows.size(); from += max) {
        more = sendBatch(rows.subList(from, Math.min(rows.size(), from + max)), urgentOnly);
      }
      if (more || pumpAgain) {
        pump();
      }
    }, exec).exceptionally(this::logFailure);
  }

  /** Publishes one batch; true when the outbox may hold more to send now. */
  private boolean sendBatch(List<OutboxRow> rows, boolean urgentOnly) {
    if (rows.isEmpty()) {
      return false;
    }
    List<Long> sequences = rows.stream().map(OutboxRow::sequence).toList();
    if (!connected || (urgentOnly && rows.get(0).priority() != 1)) {
      cursor.release(sequences);
      return false;
    }
    long batchSequence = nextBatchSequence++;
    byte[] payload = AlertEncoder.batch(gatewayId, batchSequence, System.currentTimeMillis(),
        rows.stream().map(OutboxRow::payload).toList());
    Map<Long, String> ids = new HashMap<>();
    for (OutboxRow r : rows) {
      ids.put(r.sequence(), r.alertId());
      batchOfSequence.put(r.sequence(), batchSequence);
      sequencesOfAlertId.computeIfAbsent(r.alertId(), k -> new ArrayList<>(1)).add(r.sequence());
    }
    int level = rows.stream().mapToInt(OutboxRow::priority).min().orElse(4);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.ackTimeoutMs(level));
    InFlight batch = new InFlight(batchSequence, new ArrayList<>(sequences), ids, deadline, level, urgentOnly);
    inFlight.put(batchSequence, batch);
    Session s = session;
    try {
      transport.publish(payload).whenComplete((ok, error) -> onDeliveryThread(() -> {
        if (error == null) {
          onPublished(batch);
        } else {
          onPublishFailed(s, batch, error);
        }
      }));
    } catch (RuntimeException e) {
      onPublishFailed(s, batch, e);
      return false;
    }
    counters.increment(name + "_batches_sent");
    counters.add(name + "_alerts_sent", rows.size());
    return rows.size() == options.batchMaxAlerts() || !urgentOnly;
  }

  private void onPublished(InFlight batch) {
    if (!options.platformAcks()) {
      acknowledge(List.copyOf(batch.sequences()));
    }
  }

  private void onPublishFailed(Session s, InFlight batch, Throwable error) {
    if (inFlight.remove(batch.batchSequence()) != null) {
      forgetBatch(batch);
      cursor.release(batch.sequences());
    }
    counters.increment(name + "_publish_failed");
    LOG.log(Level.DEBUG, "Northbound publish failed; batch goes back to the outbox. name={0} batchSequence={1}"
        + " reason={2}", name, batch.batchSequence(), error == null ? "unknown" : error.getMessage());
    if (!transport.connected()) {
      onConnectionLost(s, "publish failed");
    }
  }

  // ---------------------------------------------------------------- acknowledgements

  private void onAck(Ack ack) {
    if (!gatewayId.equals(ack.getGatewayId())) {
      // Anyone who may publish on the ack channel could otherwise delete alarms from the outbox.
      counters.increment(name + "_ack_foreign", gatewayId,
          ack.getGatewayId().isEmpty() ? "no_gateway_id" : "other_gateway");
      foreignAcks.log(Level.WARNING, "foreign", "Northbound ignored an Ack for another gateway id; nothing was marked "
          + "delivered. name=" + name + " endpoint=" + transport.endpoint());
      return;
    }
    counters.increment(name + "_acks_received");
    List<Long> sequences = new ArrayList<>();
    for (long b : ack.getBatchSequencesList()) {
      InFlight batch = inFlight.get(b);
      if (batch != null) {
        sequences.addAll(batch.sequences());
      }
    }
    for (long s : ack.getAlertSequencesList()) {
      if (batchOfSequence.containsKey(s)) {
        sequences.add(s);
      }
    }
    for (String id : ack.getAlertIdsList()) {
      List<Long> seqs = sequencesOfAlertId.get(id);
      if (seqs != null) {
        sequences.addAll(seqs);
      }
    }
    if (!sequences.isEmpty()) {
      acknowledge(sequences.stream().distinct().toList());
    }
  }

  private void acknowledge(List<Long> sequences) {
    List<Long> known = new ArrayList<>(sequences.size());
    for (long s : sequences) {
      Long b = batchOfSequence.get(s);
      if (b == null) {
        continue;
      }
      known.add(s);
      InFlight batch = inFlight.get(b);
      forget(batch, s);
      batch.sequences().remove(s);
      if (batch.sequences().isEmpty()) {
        inFlight.remove(b);
      }
    }
    if (known.isEmpty()) {
      return;
    }
    consecutiveTimeouts = 0;
    healthy = true;
    if (faultAlertId != null) {
      reportTransmissionFault(AlertState.CLEARED);
    }
    counters.add(name + "_alerts_acked", known.size());
    cursor.markDelivered(known).whenComplete((ok, error) -> {
      if (error != null) {
        LOG.log(Level.ERROR, "Northbound cannot mark alerts delivered; they will be resent. name={0} reason={1}", name,
            error.getMessage());
      }
    });
    // The window has room now; the acknowledged rows stay out of the cursor's reads until the
    // outbox has committed their delivery, so the next fetch need not wait for that commit.
    pump();
  }

  private void checkTimeouts() {
    long now = System.nanoTime();
    int mostUrgentExpired = 0;
    for (Iterator<InFlight> it = inFlight.values().iterator(); it.hasNext(); ) {
      InFlight batch = it.next();
      if (now - batch.deadlineNanos() >= 0) {
        it.remove();
        forgetBatch(batch);
        cursor.release(batch.sequences());
        counters.increment(name + "_ack_timeouts");
        mostUrgentExpired = mostUrgentExpired == 0 ? batch.level() : Math.min(mostUrgentExpired, batch.level());
      }
    }
    if (mostUrgentExpired == 0) {
      return;
    }
    healthy = false;
    consecutiveTimeouts++;
    LOG.log(Level.WARNING, "Northbound got no acknowledgement in time; resending. name={0} level={1} ackTimeoutMs={2}"
        + " timeoutsInARow={3}{4}", name, mostUrgentExpired, options.ackTimeoutMs(mostUrgentExpired), consecutiveTimeouts,
        options.platformAcks() ? NO_PLATFORM_ACK_HINT : "");
    if (consecutiveTimeouts >= TIMEOUTS_BEFORE_RECONNECT && connected) {
      LOG.log(Level.ERROR, "Northbound link is not delivering: no acknowledgement after {0} attempts; reconnecting."
          + " name={1} endpoint={2}{3}", consecutiveTimeouts, name, transport.endpoint(),
          options.platformAcks() ? NO_PLATFORM_ACK_HINT : "");
      counters.increment(name + "_transmission_fault");
      reportTransmissionFault(AlertState.RAISED);
      consecutiveTimeouts = 0;
      onConnectionLost(session, "no acknowledgements");
    } else {
      pump();
    }
  }

  /**
   * A level-2 gateway fault alert for the platform's record of the outage: RAISED when the link is
   * declared not delivering, CLEARED (same id) at the next acknowledgement. It travels through the
   * outbox like any alert, so it arrives once the link is back (and at once over any other
   * northbound).
   */
  private void reportTransmissionFault(AlertState state) {
    if (state == AlertState.RAISED) {
      if (faultAlertId != null) {
        return;
      }
      faultAlertId = "gw-" + name + "-" + gatewayId + "-" + System.currentTimeMillis();
    }
    String description = state == AlertState.RAISED
        ? "Northbound " + name + " not delivering: no acknowledgement after " + TIMEOUTS_BEFORE_RECONNECT + " attempts"
        : "Northbound " + name + " delivering again";
    outbox.append(List.of(GatewayAlerts.of(gatewayId, faultAlertId, CanonicalType.GATEWAY_FAULT, 2, state,
        "uplink_not_delivering", description, Map.of("broker", transport.endpoint(), "northbound", name), List.of(),
        Instant.now())))
        .whenComplete((ok, error) -> {
          if (error != null) {
            LOG.log(Level.WARNING, "Northbound fault alert not stored. name={0} reason={1}", name, error.getMessage());
          }
        });
    if (state == AlertState.CLEARED) {
      faultAlertId = null;
    }
  }

  private void dropInFlight() {
    inFlight.clear();
    batchOfSequence.clear();
    sequencesOfAlertId.clear();
    if (cursor != null) {
      cursor.releaseAll();
    }
  }

  private void forgetBatch(InFlight batch) {
    for (long s : batch.sequences()) {
      forget(batch, s);
    }
  }

  private void forget(InFlight batch, long sequence) {
    batchOfSequence.remove(sequence);
    String id = batch.alertIds().get(sequence);
    List<Long> seqs = id == null ? null : sequencesOfAlertId.get(id);
    if (seqs != null) {
      seqs.remove(sequence);
      if (seqs.isEmpty()) {
        sequencesOfAlertId.remove(id);
      }
    }
  }

  // ---------------------------------------------------------------- thread plumbing

  private void onDeliveryThread(Runnable task) {
    try {
      exec.execute(guarded(task));
    } catch (RejectedExecutionException stopped) {
      // stop() has shut the thread down; late transport callbacks have nothing left to update.
    }
  }

  /**
   * Runs a task on the delivery thread after a delay; a task queued before {@link #stop()} may still
   * be running while the thread shuts down, and what it would schedule has nothing left to do.
   */
  private void later(Runnable task, long delayMs) {
    try {
      exec.schedule(guarded(task), delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      // stop() has shut the thread down.
    }
  }

  /** Executors swallow exceptions of submitted tasks; this logs them instead. */
  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        logFailure(e);
      }
    };
  }

  private <T> T logFailure(Throwable e) {
    counters.increment(name + "_internal_error");
    LOG.log(Level.ERROR, "Northbound internal error. name=" + name + " reason=" + e, e);
    return null;
  }
}
