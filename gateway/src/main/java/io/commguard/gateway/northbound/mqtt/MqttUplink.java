package io.commguard.gateway.northbound.mqtt;

import io.commguard.gateway.config.UplinkConfig;
import io.commguard.gateway.config.UplinkConfig.AckMode;
import io.commguard.gateway.net.NoDelaySockets;
import io.commguard.gateway.net.PemTls;
import io.commguard.gateway.net.TlsFailures;
import io.commguard.gateway.northbound.Transport;
import io.commguard.gateway.wire.Seal;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
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
 * The city broker connection under the MQTT northbound: Paho MQTT 5 with a clean start (the outbox,
 * not the broker session, is the store of record), optional TLS from PEM files, batches published
 * at QoS 1 on the alert topic and, in platform-acknowledgement mode, a subscription to the ack
 * topic. Delivery itself (window, acks, deadlines, resends) is {@link
 * io.commguard.gateway.northbound.Delivery}'s.
 *
 * <p>Threading: called on the delivery thread; Paho's own threads complete the returned stages and
 * call the session, which hops back onto the delivery thread.
 */
public final class MqttUplink implements Transport {
  private static final System.Logger LOG = System.getLogger(MqttUplink.class.getName());

  private final UplinkConfig config;
  private final String clientId;
  private final String alertTopic;
  private final String ackTopic;
  private final String statusTopic;
  private final UplinkSigner signer;
  /** Taking a signing sequence and handing the message to Paho is one step, so sequences go out in order. */
  private final Object publishing = new Object();
  private volatile MqttAsyncClient client;

  public MqttUplink(UplinkConfig config, String gatewayId) {
    this(config, gatewayId, null);
  }

  /** @param signer signs every published message; null publishes them unsigned */
  MqttUplink(UplinkConfig config, String gatewayId, UplinkSigner signer) {
    this.config = config;
    this.signer = signer;
    this.clientId = config.clientId() != null ? config.clientId() : gatewayId;
    this.alertTopic = config.alertTopic().replace("{gatewayId}", gatewayId);
    this.ackTopic = config.ackTopic().replace("{gatewayId}", gatewayId);
    this.statusTopic = config.statusTopic().replace("{gatewayId}", gatewayId);
  }

  @Override
  public String endpoint() {
    return config.brokerUrl();
  }

  @Override
  public CompletionStage<Void> connect(Session session) {
    drop();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    try {
      MqttAsyncClient c = new MqttAsyncClient(config.brokerUrl(), clientId, new MemoryPersistence());
      client = c;
      c.setCallback(new Callback(session));
      MqttConnectionOptions options = new MqttConnectionOptions();
      options.setCleanStart(true);
      options.setAutomaticReconnect(false);
      options.setKeepAliveInterval(15);
      options.setConnectionTimeout(connectTimeoutSeconds(config));
      if (config.username() != null) {
        options.setUserName(config.username());
      }
      if (config.passwordEnv() != null && System.getenv(config.passwordEnv()) != null) {
        options.setPassword(System.getenv(config.passwordEnv()).getBytes(StandardCharsets.UTF_8));
      }
      options.setSocketFactory(config.tls() != null
          ? NoDelaySockets.tls(PemTls.socketFactory(config.tls())) : NoDelaySockets.plain());
      c.connect(options, null, listener(token -> subscribeAcks(c, ready), ready::completeExceptionally));
    } catch (MqttException | RuntimeException e) {
      ready.completeExceptionally(e);
    }
    return ready;
  }

  /** Paho's connect timeout, whole seconds: the level-1 acknowledgement deadline. */
  static int connectTimeoutSeconds(UplinkConfig config) {
    return Math.max(1, config.ackTimeoutMs() / 1000);
  }

  private void subscribeAcks(MqttAsyncClient c, CompletableFuture<Void> ready) {
    if (config.ackMode() == AckMode.BROKER) {
      ready.complete(null);
      return;
    }
    try {
      c.subscribe(ackTopic, 1, null, listener(token -> ready.complete(null), ready::completeExceptionally));
    } catch (MqttException | RuntimeException e) {
      ready.completeExceptionally(e);
    }
  }

  @Override
  public CompletionStage<Void> publish(byte[] batch) {
    return publish(alertTopic, Seal.ALERT_BATCH, batch);
  }

  /**
   * Publishes an encoded {@code GatewayStatus} on the status topic (signed like the batches); fails
   * at once when not connected. Any thread.
   */
  public CompletionStage<Void> publishStatus(byte[] status) {
    return publish(statusTopic, Seal.GATEWAY_STATUS, status);
  }

  private CompletionStage<Void> publish(String topic, String messageType, byte[] message) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      synchronized (publishing) {
        MqttAsyncClient c = client;
        if (c == null) {
          throw new IllegalStateException("uplink not connected");
        }
        byte[] payload = signer == null ? message : signer.sign(messageType, message);
        c.publish(topic, payload, 1, false, null, listener(token -> done.complete(null), done::completeExceptionally));
      }
    } catch (MqttException | RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  @Override
  public boolean connected() {
    return client != null && client.isConnected();
  }

  /** Drops the client whatever state it is in (connected, connecting or hung); its late callbacks are ignored. */
  @Override
  public void drop() {
    MqttAsyncClient c = client;
    client = null;
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

  @Override
  public void close() {
    if (signer != null) {
      signer.close();
    }
    MqttAsyncClient c = client;
    client = null;
    if (c == null) {
      return;
    }
    try {
      if (c.isConnected()) {
        c.disconnect(1000).waitForCompletion(2000);
      }
      c.close(true);
    } catch (MqttException | RuntimeException e) {
      LOG.log(Level.DEBUG, "Uplink close failed. reason={0}", e.toString());
    }
  }

  @Override
  public String describe(Throwable connectFailure) {
    return TlsFailures.describe(connectFailure, config.tls() == null ? null : config.tls().caFile(),
        config.tls() == null ? null : config.tls().certFile());
  }

  private static MqttActionListener listener(Consumer<IMqttToken> ok, Consumer<Throwable> failed) {
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

  /** Paho's events of one client, handed to the session of the connection it belongs to. */
  private static final class Callback implements MqttCallback {
    private final Session session;

    Callback(Session session) {
      this.session = session;
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      session.lost(String.valueOf(response.getReasonString()));
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      LOG.log(Level.WARNING, "Uplink MQTT error. reason={0}", exception.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      session.ackReceived(message.getPayload());
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
