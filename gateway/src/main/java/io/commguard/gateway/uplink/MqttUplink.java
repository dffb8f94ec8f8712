package io.commguard.gateway.uplink;

import com.google.protobuf.InvalidProtocolBufferException;
import io.commguard.alert.v1.Ack;
import io.commguard.gateway.config.UplinkConfig;
import io.commguard.gateway.config.UplinkConfig.AckMode;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.net.NoDelaySockets;
import io.commguard.gateway.net.PemTls;
import io.commguard.gateway.net.TlsFailures;
import io.commguard.gateway.outbox.GatewayAlerts;
import io.commguard.gateway.outbox.Outbox;
import io.commguard.gateway.outbox.OutboxRow;
import io.commguard.gateway.wire.AlertEncoder;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Publishes the outbox to the city broker as {@code AlertBatch}es (MQTT 5, QoS 1) and marks rows
 * delivered when acknowledged: by the platform's {@code Ack} on the ack topic (mode
 * {@code PLATFORM}, default) or by the broker's PUBACK (mode {@code BROKER}).
 *
 * <p>Threading: all state lives on one scheduler thread ({@code uplink}); Paho callbacks and outbox
 * futures hop onto it. Nothing here runs on a Vert.x event loop, and the only disk work is done by
 * the outbox's writer thread. The in-flight window ({@code inFlightBatches}, plus one slot kept for
 * batches led by a level-1 alert) bounds memory; the backlog stays in SQLite.
 *
 * <p>Link health comes from acknowledgements: a batch not acknowledged within the deadline of its
 * most urgent alert's level ({@code ackTimeoutMsByLevel}: 10 s for level 1 by default) goes back to the outbox and is resent (in a new batch, in priority order);
 * after {@value #TIMEOUTS_BEFORE_RECONNECT} timeouts in a row the connection is dropped and
 * re-established. Reconnects use exponential backoff with jitter.
 */
public final class MqttUplink {
  private static final System.Logger LOG = System.getLogger(MqttUplink.class.getName());
  private static final RateLimitedLog FOREIGN_ACKS = new RateLimitedLog(LOG, 60_000);
  static final int TIMEOUTS_BEFORE_RECONNECT = 3;
  private static final long BACKOFF_MIN_MS = 250;
  private static final long BACKOFF_MAX_MS = 5_000;

  private record InFlight(long batchSequence, List<Long> sequences, Map<Long, String> alertIds, long deadlineNanos,
      int level, boolean urgent) {}

  private final UplinkConfig config;
  private final String gatewayId;
  private final Outbox outbox;
  private final Counters counters;
  private final String alertTopic;
  private final String ackTopic;
  private final ScheduledExecutorService exec;

  // Uplink-thread state.
  private MqttAsyncClient client;
  private boolean running;
  private boolean connected;
  private boolean connecting;
  private boolean fetching;
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

  public MqttUplink(UplinkConfig config, String gatewayId, Outbox outbox, Counters counters) {
    this.config = config;
    this.gatewayId = gatewayId;
    this.outbox = outbox;
    this.counters = counters;
    this.alertTopic = config.alertTopic().replace("{gatewayId}", gatewayId);
    this.ackTopic = config.ackTopic().replace("{gatewayId}", gatewayId);
    this.exec = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "uplink");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts connecting in the background; returns at once. */
  public void start() {
    // Batch sequences keep rising across restarts without being stored: start from the clock.
    nextBatchSequence = System.currentTimeMillis() * 1000;
    outbox.setCommitListener(priority -> onUplinkThread(() -> onCommitted(priority)));
    onUplinkThread(() -> {
      running = true;
      connect();
      long tick = Math.max(50, Math.min(500, config.shortestAckTimeoutMs() / 4));
      ticker = exec.scheduleWithFixedDelay(guarded(this::checkTimeouts), tick, tick, TimeUnit.MILLISECONDS);
    });
  }

  /** Disconnects; unacknowledged batches stay in the outbox for the next start. Blocks up to 5 s. */
  public void stop() {
    onUplinkThread(() -> {
      running = false;
      if (ticker != null) {
        ticker.cancel(false);
      }
      dropInFlight();
      if (client != null) {
        try {
          if (client.isConnected()) {
            client.disconnect(1000).waitForCompletion(2000);
          }
          client.close(true);
        } catch (MqttException e) {
          LOG.log(Level.DEBUG, "Uplink close failed. reason={0}", e.getMessage());
        }
      }
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

  private void connect() {
    if (!running || connected || connecting) {
      return;
    }
    connecting = true;
    discard(client);
    client = null;
    try {
      String clientId = config.clientId() != null ? config.clientId() : gatewayId;
      client = new MqttAsyncClient(config.brokerUrl(), clientId, new MemoryPersistence());
      client.setCallback(new Callback(client));
      MqttConnectionOptions options = new MqttConnectionOptions();
      options.setCleanStart(true);
      options.setAutomaticReconnect(false);
      options.setKeepAliveInterval(15);
      options.setConnectionTimeout(Math.max(1, config.ackTimeoutMs() / 1000));
      if (config.username() != null) {
        options.setUserName(config.username());
      }
      if (config.passwordEnv() != null && System.getenv(config.passwordEnv()) != null) {
        options.setPassword(System.getenv(config.passwordEnv()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      options.setSocketFactory(config.tls() != null
          ? NoDelaySockets.tls(PemTls.socketFactory(config.tls())) : NoDelaySockets.plain());
      MqttAsyncClient c = client;
      client.connect(options, null, listener(
          token -> onUplinkThread(() -> onConnected(c)),
          error -> onUplinkThread(() -> onConnectFailed(c, error))));
      // Paho waits for CONNACK (and SUBACK) without a deadline; a half-dead link that swallows the
      // CONNECT would hang the connect for good. Give up after the connect timeout and start over.
      exec.schedule(guarded(() -> {
        if (c == client && connecting) {
          onConnectFailed(c, new java.util.concurrent.TimeoutException("no CONNACK/SUBACK within "
              + options.getConnectionTimeout() + " s"));
        }
      }), options.getConnectionTimeout(), TimeUnit.SECONDS);
    } catch (Exception e) {
      onConnectFailed(client, e);
    }
  }

  private void onConnected(MqttAsyncClient c) {
    if (c != client || !running) {
      return;
    }
    if (config.ackMode() == AckMode.BROKER) {
      ready();
      return;
    }
    try {
      c.subscribe(ackTopic, 1, null, listener(
          token -> onUplinkThread(() -> {
            if (c == client) {
              ready();
            }
          }),
          error -> onUplinkThread(() -> onConnectFailed(c, error))));
    } catch (MqttException e) {
      onConnectFailed(c, e);
    }
  }

  private void ready() {
    connecting = false;
    connected = true;
    healthy = true;
    reconnectAttempt = 0;
    consecutiveTimeouts = 0;
    counters.increment("uplink_connected");
    LOG.log(Level.INFO, "Uplink connected. broker={0} alertTopic={1} ackMode={2}", config.brokerUrl(), alertTopic,
        config.ackMode());
    pump();
  }

  private void onConnectFailed(MqttAsyncClient c, Throwable error) {
    if (c != client || !running) {
      return;
    }
    connecting = false;
    connected = false;
    healthy = false;
    counters.increment("uplink_connect_failed");
    long delay = backoffMs();
    LOG.log(reconnectAttempt <= 1 ? Level.WARNING : Level.DEBUG,
        "Uplink cannot connect; retrying. broker={0} retryInMs={1} reason={2}", config.brokerUrl(), delay,
        TlsFailures.describe(error, config.tls() == null ? null : config.tls().caFile(),
            config.tls() == null ? null : config.tls().certFile()));
    exec.schedule(guarded(this::connect), delay, TimeUnit.MILLISECONDS);
  }

  private void onConnectionLost(MqttAsyncClient c, String reason) {
    if (c != client || !connected || !running) {
      return;
    }
    connected = false;
    healthy = false;
    counters.increment("uplink_connection_lost");
    LOG.log(Level.WARNING, "Uplink connection lost; unacknowledged batches go back to the outbox. broker={0} reason={1}",
        config.brokerUrl(), reason);
    dropInFlight();
    discard(c);
    client = null;
    exec.schedule(guarded(this::connect), backoffMs(), TimeUnit.MILLISECONDS);
  }

  /** Exponential backoff with full jitter between half and all of the step. */
  private long backoffMs() {
    int attempt = Math.min(reconnectAttempt++, 16);
    long step = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS << attempt);
    return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
  }

  /** Drops a client whatever state it is in (connected, connecting or hung); its late callbacks are ignored. */
  private static void discard(MqttAsyncClient c) {
    if (c == null) {
      return;
    }
    // Paho throws NullPointerException, not MqttException, for some states (e.g. already closed).
    try {
      c.disconnectForcibly(0, 100, false);
    } catch (MqttException | RuntimeException e) {
      LOG.log(Level.DEBUG, "Uplink forced disconnect failed. reason={0}", e.toString());
    }
    try {
      c.close(true);
    } catch (MqttException | RuntimeException e) {
      LOG.log(Level.DEBUG, "Uplink close failed. reason={0}", e.toString());
    }
  }


  // ---------------------------------------------------------------- sending

  private void onCommitted(int priority) {
    if (priority == 1) {
      pump();
    } else if (!pumpScheduled) {
      // Let a batch fill for up to batchMaxDelayMs before fetching it.
      pumpScheduled = true;
      exec.schedule(guarded(() -> {
        pumpScheduled = false;
        pump();
      }), config.batchMaxDelayMs(), TimeUnit.MILLISECONDS);
    }
  }

  private void pump() {
    if (!running || !connected || fetching) {
      return;
    }
    long normal = inFlight.values().stream().filter(b -> !b.urgent()).count();
    boolean urgentFree = inFlight.values().stream().noneMatch(InFlight::urgent);
    if (normal >= config.inFlightBatches() && !urgentFree) {
      return;
    }
    boolean urgentOnly = normal >= config.inFlightBatches();
    // One read fills every free slot: reads queue behind group commits on the outbox's writer
    // thread, so during an alarm storm one batch per read capped delivery at ~14 batches/s
    // (bench alert-storm scenario, docs/benchmarks.md).
    int batches = urgentOnly ? 1 : (int) (config.inFlightBatches() - normal);
    int max = config.batchMaxAlerts();
    fetching = true;
    outbox.nextBatch(max * batches).whenCompleteAsync((rows, error) -> {
      fetching = false;
      if (error != null) {
        LOG.log(Level.ERROR, "Uplink cannot read the outbox. reason={0}", error.getMessage());
        return;
      }
      boolean more = false;
      for (int from = 0; from < rows.size(); from += max) {
        more = sendBatch(rows.subList(from, Math.min(rows.size(), from + max)), urgentOnly);
      }
      if (more) {
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
      outbox.release(sequences);
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
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.ackTimeoutMs(level));
    InFlight batch = new InFlight(batchSequence, new ArrayList<>(sequences), ids, deadline, level, urgentOnly);
    inFlight.put(batchSequence, batch);
    MqttAsyncClient c = client;
    try {
      c.publish(alertTopic, payload, 1, false, null, listener(
          token -> onUplinkThread(() -> onPublished(batch)),
          error -> onUplinkThread(() -> onPublishFailed(c, batch, error))));
      counters.increment("uplink_batches_sent");
      counters.add("uplink_alerts_sent", rows.size());
    } catch (MqttException e) {
      onPublishFailed(c, batch, e);
      return false;
    }
    return rows.size() == config.batchMaxAlerts() || !urgentOnly;
  }

  private void onPublished(InFlight batch) {
    if (config.ackMode() == AckMode.BROKER) {
      acknowledge(List.copyOf(batch.sequences()));
    }
  }

  private void onPublishFailed(MqttAsyncClient c, InFlight batch, Throwable error) {
    if (inFlight.remove(batch.batchSequence()) != null) {
      forgetBatch(batch);
      outbox.release(batch.sequences());
    }
    counters.increment("uplink_publish_failed");
    LOG.log(Level.DEBUG, "Uplink publish failed; batch goes back to the outbox. batchSequence={0} reason={1}",
        batch.batchSequence(), error == null ? "unknown" : error.getMessage());
    if (!c.isConnected()) {
      onConnectionLost(c, "publish failed");
    }
  }

  // ---------------------------------------------------------------- acknowledgements

  private void onAck(Ack ack) {
    if (!gatewayId.equals(ack.getGatewayId())) {
      // Anyone who may publish on the ack topic could otherwise delete alarms from the outbox.
      counters.increment("uplink_ack_foreign", gatewayId, ack.getGatewayId().isEmpty() ? "no_gateway_id" : "other_gateway");
      FOREIGN_ACKS.log(Level.WARNING, "foreign", "Uplink ignored an Ack for another gateway id; nothing was marked "
          + "delivered. ackTopic=" + ackTopic);
      return;
    }
    counters.increment("uplink_acks_received");
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
    counters.add("uplink_alerts_acked", known.size());
    outbox.markDelivered(known).whenCompleteAsync((ok, error) -> {
      if (error != null) {
        LOG.log(Level.ERROR, "Uplink cannot mark alerts delivered; they will be resent. reason={0}", error.getMessage());
      }
      pump();
    }, exec).exceptionally(this::logFailure);
  }

  private void checkTimeouts() {
    long now = System.nanoTime();
    int mostUrgentExpired = 0;
    for (Iterator<InFlight> it = inFlight.values().iterator(); it.hasNext(); ) {
      InFlight batch = it.next();
      if (now - batch.deadlineNanos() >= 0) {
        it.remove();
        forgetBatch(batch);
        outbox.release(batch.sequences());
        counters.increment("uplink_ack_timeouts");
        mostUrgentExpired = mostUrgentExpired == 0 ? batch.level() : Math.min(mostUrgentExpired, batch.level());
      }
    }
    if (mostUrgentExpired == 0) {
      return;
    }
    healthy = false;
    consecutiveTimeouts++;
    LOG.log(Level.WARNING, "Uplink got no acknowledgement in time; resending. level={0} ackTimeoutMs={1}"
        + " timeoutsInARow={2}", mostUrgentExpired, config.ackTimeoutMs(mostUrgentExpired), consecutiveTimeouts);
    if (consecutiveTimeouts >= TIMEOUTS_BEFORE_RECONNECT && connected) {
      LOG.log(Level.ERROR, "Uplink link is not delivering: no acknowledgement after {0} attempts; reconnecting."
          + " broker={1}", consecutiveTimeouts, config.brokerUrl());
      counters.increment("uplink_transmission_fault");
      reportTransmissionFault(AlertState.RAISED);
      consecutiveTimeouts = 0;
      onConnectionLost(client, "no acknowledgements");
    } else {
      pump();
    }
  }

  /**
   * A level-2 gateway fault alert for the platform's record of the outage: RAISED when the link is
   * declared not delivering, CLEARED (same id) at the next acknowledgement. It travels through the
   * outbox like any alert, so it arrives once the link is back.
   */
  private void reportTransmissionFault(AlertState state) {
    if (state == AlertState.RAISED) {
      if (faultAlertId != null) {
        return;
      }
      faultAlertId = "gw-uplink-" + gatewayId + "-" + System.currentTimeMillis();
    }
    String description = state == AlertState.RAISED
        ? "Uplink not delivering: no acknowledgement after " + TIMEOUTS_BEFORE_RECONNECT + " attempts"
        : "Uplink delivering again";
    outbox.append(List.of(GatewayAlerts.of(gatewayId, faultAlertId, CanonicalType.GATEWAY_FAULT, 2, state,
        "uplink_not_delivering", description, Map.of("broker", config.brokerUrl()), List.of(), Instant.now())))
        .whenComplete((ok, error) -> {
          if (error != null) {
            LOG.log(Level.WARNING, "Uplink fault alert not stored. reason={0}", error.getMessage());
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
    outbox.releaseAll();
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

  // ---------------------------------------------------------------- Paho glue

  private void onUplinkThread(Runnable task) {
    try {
      exec.execute(guarded(task));
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      // stop() has shut the thread down; late Paho callbacks have nothing left to update.
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
    LOG.log(Level.ERROR, "Uplink internal error. reason=" + e, e);
    return null;
  }

  private static MqttActionListener listener(java.util.function.Consumer<IMqttToken> ok,
      java.util.function.Consumer<Throwable> failed) {
    return new MqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        ok.accept(token);
      }

      @Override
      public void onFailure(IMqttToken token, Throwable exception) {
        failed.accept(exception);
      }
    };
  }

  private final class Callback implements MqttCallback {
    private final MqttAsyncClient owner;

    Callback(MqttAsyncClient owner) {
      this.owner = owner;
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      onUplinkThread(() -> onConnectionLost(owner, String.valueOf(response.getReasonString())));
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      LOG.log(Level.WARNING, "Uplink MQTT error. reason={0}", exception.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      try {
        Ack ack = Ack.parseFrom(message.getPayload());
        onUplinkThread(() -> onAck(ack));
      } catch (InvalidProtocolBufferException e) {
        counters.increment("uplink_bad_ack", gatewayId, "malformed_protobuf");
      }
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
      // Handled by the publish listener.
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
      // Handled by the connect listener.
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
      // No enhanced authentication.
    }
  }
}
