package io.commguard.gateway.receiver;

import io.commguard.alert.v1.Ack;
import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertBatch;
import io.commguard.gateway.config.TlsConfig;
import io.commguard.gateway.security.PemTls;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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
 * <p>Threading: batches are handled on Paho's callback thread, one at a time; an alert is
 * acknowledged only after the store has made it durable.
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
  private ReceivedStore store;
  private MqttAsyncClient client;

  public CityReceiver(Options options, Consumer<Alert> onNewAlert) {
    this.options = options;
    this.onNewAlert = onNewAlert;
  }

  /** Opens the store and connects; blocks until subscribed (or throws). Reconnects by itself afterwards. */
  public void start() throws IOException, MqttException {
    store = ReceivedStore.open(options.output());
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
    if (options.tls() != null) {
      o.setSocketFactory(PemTls.socketFactory(options.tls()));
    }
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

  private void onBatch(byte[] payload) {
    AlertBatch batch;
    try {
      batch = AlertBatch.parseFrom(payload);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      malformed.incrementAndGet();
      LOG.log(Level.WARNING, "Receiver got a payload that is not an AlertBatch. bytes={0} reason={1}", payload.length,
          e.getMessage());
      return;
    }
    batches.incrementAndGet();
    alerts.addAndGet(batch.getAlertsCount());
    List<Alert> fresh;
    try {
      fresh = store.store(batch.getAlertsList());
    } catch (IOException e) {
      LOG.log(Level.ERROR, "Receiver cannot store a batch; not acknowledging it. gatewayId={0} batchSequence={1}"
          + " reason={2}", batch.getGatewayId(), batch.getBatchSequence(), e.getMessage());
      return;
    }
    stored.addAndGet(fresh.size());
    duplicates.addAndGet(batch.getAlertsCount() - fresh.size());
    fresh.forEach(onNewAlert);
    if (options.ackPolicy() == AckPolicy.PLATFORM) {
      Ack.Builder ack = Ack.newBuilder().setGatewayId(batch.getGatewayId()).addBatchSequences(batch.getBatchSequence());
      batch.getAlertsList().forEach(a -> ack.addAlertSequences(a.getSequence()));
      try {
        client.publish(options.ackTopic().replace("{gatewayId}", batch.getGatewayId()), ack.build().toByteArray(), 1,
            false);
      } catch (MqttException e) {
        LOG.log(Level.WARNING, "Receiver cannot publish an ack; the gateway will resend. gatewayId={0} reason={1}",
            batch.getGatewayId(), e.getMessage());
      }
    }
  }

  @Override
  public void close() {
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
    public void messageArrived(String topic, MqttMessage message) {
      onBatch(message.getPayload());
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
