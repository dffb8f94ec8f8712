package io.commguard.gateway.receiver;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertBatch;
import io.commguard.gateway.config.TlsConfig;
import io.commguard.gateway.net.PemTls;
import io.commguard.gateway.net.NoDelaySockets;
import io.commguard.gateway.wire.Acks;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

/**
 * The reference city receiver. Subscribes to {@code $share/<group>/<topicFilter>} so that several
 * instances split the load on any MQTT 5 broker, decodes each {@link AlertBatch}, stores new alerts
 * (de-duplicated by gateway id and sequence), then publishes an {@link Ack} naming the batch and
 * every alert sequence in it (duplicates included, so the gateway stops resending them).
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
   */
  public record Options(String brokerUrl, String clientId, String group, String topicFilter, String ackTopic,
      AckPolicy ackPolicy, Path output, String username, String passwordEnv, TlsConfig tls) {
    public Options {
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

  /** Running totals; {@code duplicates} counts alerts received again after they were stored. */
  public record Stats(long batches, long alerts, long stored, long duplicates, long malformed) {}

  private final Options options;
  private final Consumer<Alert> onNewAlert;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong alerts = new AtomicLong();
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private static final int QUEUE_BATCHES = 64;
  private static final int MAX_GROUP_BATCHES = 32;
  private final ArrayBlockingQueue<AlertBatch> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
  private volatile boolean running;
  private Thread storeThread;
  private ReceivedStore store;
  private MqttAsyncClient client;

  public CityReceiver(Options options, Consumer<Alert> onNewAlert) {
    this.options = options;
    this.onNewAlert = onNewAlert;
  }

  /** Opens the store and connects; blocks until subscribed (or throws). Reconnects by itself afterwards. */
  public void start() throws IOException, MqttException {
    store = ReceivedStore.open(options.output());
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
    return new Stats(batches.get(), alerts.get(), stored.get(), duplicates.get(), malformed.get());
  }

  public String sharedTopic() {
    return "$share/" + options.group() + "/" + options.topicFilter();
  }

  private void subscribe() throws MqttException {
    client.subscribe(sharedTopic(), 1).waitForCompletion(10_000);
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
    while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
      if (!running) {
        return; // Not acknowledged: the gateway resends it.
      }
    }
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
          client.subscribe(sharedTopic(), 1);
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
