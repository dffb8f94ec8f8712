package io.commguard.gateway.receiver;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertBatch;
import io.commguard.alert.v1.GatewayStatus;
import io.commguard.gateway.config.TlsConfig;
import io.commguard.gateway.net.PemTls;
import io.commguard.gateway.net.NoDelaySockets;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.metrics.Untrusted;
import io.commguard.gateway.wire.Acks;
import io.commguard.gateway.wire.Seal;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;

/**
 * The reference city receiver. Subscribes to {@code $share/<group>/<topicFilter>} so that several
 * instances split the load on any MQTT 5 broker, decodes each {@link AlertBatch}, stores new alerts
 * (de-duplicated by gateway id and sequence), then publishes an {@link Ack} naming the batch and
 * every alert sequence in it (duplicates included, so the gateway stops resending them). Given HMAC
 * keys, it takes only signed batches with a valid MAC and a fresh sequence ({@link SignedSenders});
 * the others are counted by reason and logged, never stored or acknowledged. It also follows every
 * gateway's {@code GatewayStatus} heartbeat and reports the gateways that went silent ({@link
 * GatewayWatch}; checked every half second on {@code receiver-watch}).
 *
 * <p>Threading: Paho's callback thread decodes and queues batches (at most {@value #QUEUE_BATCHES};
 * when full it blocks, so the broker holds back); one store thread ({@code receiver-store}) writes
 * every queued batch in one transaction and only then publishes their acks. An alert is
 * acknowledged only after it is durable; whatever is queued but not stored when the receiver dies
 * was never acknowledged, so the gateway resends it.
 */
public final class CityReceiver implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(CityReceiver.class.getName());

  /** Whether the receiver publishes platform acknowledgements. */
  public enum AckPolicy { PLATFORM, NONE }

  /**
   * @param topicFilter alert topics without the share prefix, e.g. {@code city/+/alerts}
   * @param ackTopic where acks go; {@code {gatewayId}} is replaced by the batch's gateway id
   * @param output a SQLite file, or a {@code .jsonl} file for JSON lines
   * @param hmacKeys keys signed messages must carry, each {@code FILE} or {@code GATEWAY_ID=FILE};
   *     when any is given, unsigned, wrongly signed and replayed messages are refused
   * @param statusTopicFilter status topics ({@code GatewayStatus}) without the share prefix
   * @param silentAfter how many of its announced status intervals a gateway may miss before it is
   *     shown as silent
   */
  public record Options(String brokerUrl, String clientId, String group, String topicFilter, String ackTopic,
      AckPolicy ackPolicy, Path output, String username, String passwordEnv, TlsConfig tls, List<String> hmacKeys,
      String statusTopicFilter, Integer silentAfter) {
    public Options(String brokerUrl, String clientId, String group, String topicFilter, String ackTopic,
        AckPolicy ackPolicy, Path output, String username, String passwordEnv, TlsConfig tls) {
      this(brokerUrl, clientId, group, topicFilter, ackTopic, ackPolicy, output, username, passwordEnv, tls, null);
    }

    public Options(String brokerUrl, String clientId, String group, String topicFilter, String ackTopic,
        AckPolicy ackPolicy, Path output, String username, String passwordEnv, TlsConfig tls, List<String> hmacKeys) {
      this(brokerUrl, clientId, group, topicFilter, ackTopic, ackPolicy, output, username, passwordEnv, tls, hmacKeys,
          null, null);
    }

    public Options {
      statusTopicFilter = statusTopicFilter == null ? "city/+/status" : statusTopicFilter;
      silentAfter = silentAfter == null ? 3 : silentAfter;
      hmacKeys = hmacKeys == null ? List.of() : List.copyOf(hmacKeys);
      clientId = clientId == null ? "commguard-receiver-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000 : clientId;
      group = group == null ? "commguard-receivers" : group;
      topicFilter = topicFilter == null ? "city/+/alerts" : topicFilter;
      ackTopic = ackTopic == null ? "city/{gatewayId}/acks" : ackTopic;
      ackPolicy = ackPolicy == null ? AckPolicy.PLATFORM : ackPolicy;
    }

    public static Options of(String brokerUrl, Path output) {
      return new Options(brokerUrl, null, null, null, null, null, output, null, null, null);
    }
  }

  /**
   * Running totals; {@code duplicates} counts alerts received again after they were stored;
   * {@code refused} counts signed-message refusals by reason ({@code bad_signature}, …).
   */
  public record Stats(long batches, long alerts, long stored, long duplicates, long malformed, Map<String, Long> refused) {
    /** Messages refused for {@code reason} (lower case, as shown). */
    public long refused(String reason) {
      return refused.getOrDefault(reason, 0L);
    }
  }

  private final Options options;
  private final Consumer<Alert> onNewAlert;
  private final GatewayWatch watch;
  private java.util.concurrent.ScheduledExecutorService watchThread;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong alerts = new AtomicLong();
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final Map<SignedSenders.Refusal, AtomicLong> refused = new EnumMap<>(SignedSenders.Refusal.class);
  private final RateLimitedLog refusals = new RateLimitedLog(LOG, 60_000);
  private SignedSenders signedSenders;
  private static final int QUEUE_BATCHES = 64;
  private static final int MAX_GROUP_BATCHES = 32;
  private final ArrayBlockingQueue<AlertBatch> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
  private volatile boolean running;
  private Thread storeThread;
  private ReceivedStore store;
  private MqttAsyncClient client;

  public CityReceiver(Options options, Consumer<Alert> onNewAlert) {
    this(options, onNewAlert, null);
  }

  /** @param gateways told of each status, and of gateways going silent and coming back; null for none */
  public CityReceiver(Options options, Consumer<Alert> onNewAlert, GatewayListener gateways) {
    this.options = options;
    this.onNewAlert = onNewAlert;
    GatewayListener l = gateways != null ? gateways : new GatewayListener() {};
    this.watch = new GatewayWatch(options.silentAfter(), new GatewayWatch.Listener() {
      @Override
      public void status(GatewayStatus status) {
        l.status(status);
      }

      @Override
      public void silent(String gatewayId, long silentForMs, long intervalMs) {
        LOG.log(Level.WARNING, "Gateway silent: no status for {0} s, it announced one every {1} s. gatewayId={2}",
            silentForMs / 1000, intervalMs / 1000, Untrusted.label(gatewayId));
        l.silent(gatewayId, silentForMs, intervalMs);
      }

      @Override
      public void back(String gatewayId, long silentForMs) {
        LOG.log(Level.INFO, "Gateway heard again after {0} s of silence. gatewayId={1}", silentForMs / 1000,
            Untrusted.label(gatewayId));
        l.back(gatewayId, silentForMs);
      }
    });
  }

  /** What the receiver tells about gateways' statuses (all optional). Called on the receiver's threads. */
  public interface GatewayListener {
    default void status(GatewayStatus status) {}

    default void silent(String gatewayId, long silentForMs, long intervalMs) {}

    default void back(String gatewayId, long silentForMs) {}
  }

  /** Gateways that sent a status and then none for {@code silentAfter} of their intervals. */
  public List<String> silentGateways() {
    return watch.silent();
  }

  /** The last status of every gateway heard, by gateway id. */
  public Map<String, GatewayStatus> lastStatuses() {
    Map<String, GatewayStatus> out = new TreeMap<>();
    watch.seen().forEach((id, seen) -> out.put(id, seen.last()));
    return out;
  }

  /** Opens the store and connects; blocks until subscribed (or throws). Reconnects by itself afterwards. */
  public void start() throws IOException, MqttException {
    for (SignedSenders.Refusal r : SignedSenders.Refusal.values()) {
      refused.put(r, new AtomicLong());
    }
    signedSenders = options.hmacKeys().isEmpty() ? null
        : new SignedSenders(options.hmacKeys().stream().map(SignedSenders.Grant::parse).toList());
    store = ReceivedStore.open(options.output());
    watchThread = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "receiver-watch");
      t.setDaemon(true);
      return t;
    });
    watchThread.scheduleWithFixedDelay(() -> watch.check(System.currentTimeMillis()), 500, 500, TimeUnit.MILLISECONDS);
    running = true;
    storeThread = new Thread(this::storeLoop, "receiver-store");
    storeThread.setDaemon(true);
    storeThread.start();
    client = new MqttAsyncClient(options.brokerUrl(), options.clientId(), new MemoryPersistence());
    client.setCallback(new Callback());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    o.setAutomaticReconnect(true);
    o.setAutomaticReconnectDelay(1, 2);
    o.setMaxReconnectDelay(2000);
    o.setKeepAliveInterval(15);
    if (options.username() != null) {
      o.setUserName(options.username());
    }
    if (options.passwordEnv() != null && System.getenv(options.passwordEnv()) != null) {
      o.setPassword(System.getenv(options.passwordEnv()).getBytes(StandardCharsets.UTF_8));
    }
    // Acks are small packets; without TCP_NODELAY each would wait ~40 ms for a delayed ACK.
    o.setSocketFactory(options.tls() != null
        ? NoDelaySockets.tls(PemTls.socketFactory(options.tls())) : NoDelaySockets.plain());
    client.connect(o).waitForCompletion(10_000);
    subscribe();
  }

  public Stats stats() {
    Map<String, Long> byReason = new TreeMap<>();
    refused.forEach((r, n) -> byReason.put(r.name().toLowerCase(Locale.ROOT), n.get()));
    return new Stats(batches.get(), alerts.get(), stored.get(), duplicates.get(), malformed.get(), byReason);
  }

  public String sharedTopic() {
    return "$share/" + options.group() + "/" + options.topicFilter();
  }

  /**
   * Statuses are not split between receiver instances: each one subscribes to all of them, so every
   * instance knows every gateway's last status.
   */
  private String statusTopic() {
    return options.statusTopicFilter();
  }

  private void subscribe() throws MqttException {
    client.subscribe(new String[] {sharedTopic(), statusTopic()}, new int[] {1, 0}).waitForCompletion(10_000);
  }

  /** Paho's callback thread: a gateway's heartbeat (checked like batches when keys are given). */
  private void onStatus(byte[] payload) {
    GatewayStatus status;
    try {
      status = GatewayStatus.parseFrom(payload);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      malformed.incrementAndGet();
      LOG.log(Level.WARNING, "Receiver got a payload that is not a GatewayStatus. bytes={0} reason={1}", payload.length,
          e.getMessage());
      return;
    }
    if (signedSenders != null && refused(Seal.GATEWAY_STATUS, payload, status.getGatewayId(), false)) {
      return;
    }
    if (!watch.heard(status, System.currentTimeMillis())) {
      refusals.log(Level.WARNING, "too_many_gateways", "Receiver tracks at most " + GatewayWatch.MAX_GATEWAYS
          + " gateways; a status of another one is ignored");
    }
  }

  /** Paho's callback thread: decode and queue; blocks while the queue is full (back-pressure on the broker). */
  private void onMessage(byte[] payload) throws InterruptedException {
    AlertBatch batch;
    try {
      batch = AlertBatch.parseFrom(payload);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      malformed.incrementAndGet();
      LOG.log(Level.WARNING, "Receiver got a payload that is not an AlertBatch. bytes={0} reason={1}", payload.length,
          e.getMessage());
      return;
    }
    if (signedSenders != null && refused(Seal.ALERT_BATCH, payload, batch.getGatewayId(), mismatched(batch))) {
      return; // Neither stored nor acknowledged.
    }
    while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
      if (!running) {
        return; // Not acknowledged: the gateway resends it.
      }
    }
  }

  /** A signed batch speaks for its own gateway only: an alert naming another one refuses it. */
  private static boolean mismatched(AlertBatch batch) {
    return batch.getAlertsList().stream().anyMatch(a -> !a.getGatewayId().equals(batch.getGatewayId()));
  }

  /** Checks a signed message; a refusal is counted and logged (at most once a minute per reason and gateway). */
  private boolean refused(String messageType, byte[] payload, String gatewayId, boolean mismatchedGateway) {
    SignedSenders.Refusal refusal = signedSenders.check(messageType, payload, gatewayId);
    if (refusal == null && mismatchedGateway) {
      refusal = SignedSenders.Refusal.MISMATCHED_GATEWAY;
    }
    if (refusal == null) {
      return false;
    }
    refused.get(refusal).incrementAndGet();
    String reason = refusal.name().toLowerCase(Locale.ROOT);
    String gateway = Untrusted.label(gatewayId);
    refusals.log(Level.WARNING, reason + gateway, "Receiver refused a signed message, not stored. reason=" + reason
        + " gatewayId=" + gateway + " type=" + messageType.substring(messageType.lastIndexOf('.') + 1));
    return true;
  }

  /** The store thread: every batch waiting is stored in one transaction (one fsync), then each is acknowledged. */
  private void storeLoop() {
    List<AlertBatch> group = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      AlertBatch first;
      try {
        first = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        continue;
      }
      group.clear();
      group.add(first);
      queue.drainTo(group, MAX_GROUP_BATCHES - 1);
      List<Alert> all = new ArrayList<>();
      group.forEach(b -> all.addAll(b.getAlertsList()));
      List<Alert> fresh;
      try {
        fresh = store.store(all);
      } catch (IOException e) {
        LOG.log(Level.ERROR, "Receiver cannot store alerts; not acknowledging them. batches={0} reason={1}",
            group.size(), e.getMessage());
        continue;
      }
      batches.addAndGet(group.size());
      alerts.addAndGet(all.size());
      stored.addAndGet(fresh.size());
      duplicates.addAndGet(all.size() - fresh.size());
      fresh.forEach(onNewAlert);
      if (options.ackPolicy() == AckPolicy.PLATFORM) {
        group.forEach(this::acknowledge);
      }
    }
  }

  private void acknowledge(AlertBatch batch) {
    try {
      client.publish(options.ackTopic().replace("{gatewayId}", batch.getGatewayId()), Acks.forBatch(batch), 1, false);
    } catch (MqttException e) {
      LOG.log(Level.WARNING, "Receiver cannot publish an ack; the gateway will resend. gatewayId={0} reason={1}",
          batch.getGatewayId(), e.getMessage());
    }
  }

  /** Stores and acknowledges what is queued, disconnects, closes the store. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (!running && storeThread == null) {
      return;
    }
    running = false;
    if (watchThread != null) {
      watchThread.shutdownNow();
    }
    if (storeThread != null) {
      try {
        storeThread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      storeThread = null;
    }
    try {
      if (client != null) {
        if (client.isConnected()) {
          client.disconnect(1000).waitForCompletion(2000);
        }
        client.close(true);
      }
    } catch (MqttException e) {
      LOG.log(Level.DEBUG, "Receiver disconnect failed. reason={0}", e.getMessage());
    }
    try {
      if (store != null) {
        store.close();
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Receiver store close failed. reason={0}", e.getMessage());
    }
  }

  private final class Callback implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      LOG.log(Level.WARNING, "Receiver disconnected; reconnecting. reason={0}", response.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      LOG.log(Level.WARNING, "Receiver MQTT error. reason={0}", exception.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
      if (MqttTopicValidator.isMatched(options.statusTopicFilter(), topic)) {
        onStatus(message.getPayload());
        return;
      }
      onMessage(message.getPayload());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
      // Acks are fire-and-forget at QoS 1; the gateway resends whatever is not acknowledged.
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
      if (reconnect) {
        // A clean-start session lost its subscription: subscribe again without blocking Paho's thread.
        try {
          client.subscribe(new String[] {sharedTopic(), statusTopic()}, new int[] {1, 0});
          LOG.log(Level.INFO, "Receiver reconnected. broker={0}", serverURI);
        } catch (MqttException e) {
          LOG.log(Level.ERROR, "Receiver cannot subscribe after reconnect. reason={0}", e.getMessage());
        }
      }
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
      // No enhanced authentication.
    }
  }
}
