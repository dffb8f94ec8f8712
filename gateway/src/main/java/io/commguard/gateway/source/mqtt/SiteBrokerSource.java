package io.commguard.gateway.source.mqtt;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.net.NoDelaySockets;
import io.commguard.gateway.net.PemTls;
import io.commguard.gateway.pipeline.Receipt;
import io.commguard.gateway.source.Ingest;
import io.commguard.gateway.topic.TopicTemplate;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
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
 * Subscribes to an existing site broker (Mosquitto, EMQX) for devices that publish there.
 *
 * <p>Uses a persistent session (clean start off, one day expiry) and manual acknowledgements: the
 * PUBACK to the broker goes out only after the pipeline accepted the message, so the broker
 * redelivers whatever the gateway had not committed when it crashed. The MQTT 5 receive maximum
 * bounds how many unacknowledged messages the broker pushes at once — that is the back-pressure.
 */
public final class SiteBrokerSource implements MqttCallback, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SiteBrokerSource.class.getName());
  private static final int RECEIVE_MAXIMUM = 1000;
  private static final long SESSION_EXPIRY_SECONDS = 86_400;

  private final ExternalBrokerConfig config;
  private final MqttDevices devices;
  private final List<TopicTemplate> templates;
  private final Ingest ingest;
  private final Clock clock;
  private final Counters counters;
  private final MqttAsyncClient client;
  private final int maxPayloadBytes;

  public SiteBrokerSource(ExternalBrokerConfig config, String defaultClientId, MqttDevices devices,
      Ingest ingest, Counters counters, Clock clock, int maxPayloadBytes) throws MqttException {
    this.clock = clock;
    this.maxPayloadBytes = maxPayloadBytes;
    this.config = config;
    this.devices = devices;
    this.templates = config.topics().stream().map(TopicTemplate::new).toList();
    this.ingest = ingest;
    this.counters = counters;
    String clientId = config.clientId() == null ? defaultClientId : config.clientId();
    this.client = new MqttAsyncClient(config.url(), clientId, new MemoryPersistence());
    client.setCallback(this);
    client.setManualAcks(true);
  }

  /** Connects in the background; automatic reconnect keeps trying for as long as the gateway runs. */
  public void start() throws MqttException {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(false);
    options.setSessionExpiryInterval(SESSION_EXPIRY_SECONDS);
    options.setAutomaticReconnect(true);
    options.setAutomaticReconnectDelay(1, 30);
    options.setReceiveMaximum(RECEIVE_MAXIMUM);
    options.setKeepAliveInterval(30);
    if (config.username() != null) {
      options.setUserName(config.username());
    }
    if (config.passwordEnv() != null) {
      String password = System.getenv(config.passwordEnv());
      if (password != null) {
        options.setPassword(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    // TCP_NODELAY: Paho writes a packet in several small writes, which Nagle would hold back.
    options.setSocketFactory(config.tls() != null
        ? NoDelaySockets.tls(PemTls.socketFactory(config.tls()))
        : NoDelaySockets.plain());
    client.connect(options);
  }

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    LOG.log(Level.INFO, "Connected to site broker url=" + serverUri + " reconnect=" + reconnect);
    String[] filters = templates.stream().map(TopicTemplate::subscription).toArray(String[]::new);
    int[] qos = new int[filters.length];
    java.util.Arrays.fill(qos, 1);
    try {
      client.subscribe(filters, qos, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          int[] codes = token.getReasonCodes();
          if (codes != null && java.util.Arrays.stream(codes).anyMatch(c -> c >= 0x80)) {
            onFailure(token, new IllegalStateException("SUBACK reason codes " + java.util.Arrays.toString(codes)));
            return;
          }
          counters.increment("site_broker_subscribed");
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          LOG.log(Level.ERROR, "Site broker refused the subscription; devices behind it are not heard url=" + serverUri
              + " error=" + error);
        }
      });
    } catch (MqttException e) {
      LOG.log(Level.ERROR, "Cannot subscribe on site broker; devices behind it are not heard url=" + serverUri + " error=" + e.getMessage());
    }
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    DeviceBinding binding = bindingFor(topic);
    if (binding == null) {
      ingest.unknownDevice(deviceIdGuess(topic), topic);
      acknowledge(message);
      return;
    }
    // Packet ids here are the site broker's, per gateway session: with the device id and payload
    // they still identify a publish the broker redelivers.
    Receipt receipt = message.getQos() == 0 ? null : Receipt.of(binding.device().deviceId(), message.getId(),
        message.isDuplicate(), topic, message.getPayload());
    byte[] payload = message.getPayload();
    ingest.receive(binding.device().deviceId(), payload.length, maxPayloadBytes, binding.decoding(topic, payload, clock), receipt)
        .whenComplete((ok, error) -> {
          if (error == null) {
            acknowledge(message);
          } else {
            counters.increment("publishes_not_acknowledged", binding.device().deviceId(), "overloaded");
          }
        });
  }

  private DeviceBinding bindingFor(String topic) {
    for (TopicTemplate t : templates) {
      String id = t.deviceIdOf(topic);
      if (id != null) {
        DeviceBinding binding = devices.get(id);
        if (binding != null) {
          return binding;
        }
      }
    }
    return null;
  }

  private String deviceIdGuess(String topic) {
    for (TopicTemplate t : templates) {
      String id = t.deviceIdOf(topic);
      if (id != null) {
        return id;
      }
    }
    return "-";
  }

  private void acknowledge(MqttMessage message) {
    if (message.getQos() == 0) {
      return;
    }
    try {
      client.messageArrivedComplete(message.getId(), message.getQos());
    } catch (MqttException e) {
      counters.increment("site_broker_ack_failures");
    }
  }

  @Override
  public void disconnected(MqttDisconnectResponse response) {
    LOG.log(Level.WARNING, "Site broker connection lost; reconnecting url=" + config.url() + " reason=" + response.getReasonString());
  }

  @Override
  public void mqttErrorOccurred(MqttException exception) {
    LOG.log(Level.WARNING, "Site broker error url=" + config.url() + " error=" + exception.getMessage());
  }

  @Override
  public void deliveryComplete(IMqttToken token) {
    // The gateway only subscribes here; it never publishes to the site broker.
  }

  @Override
  public void authPacketArrived(int reasonCode, MqttProperties properties) {
    // Enhanced authentication is not used.
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(2000);
      }
      client.close(true);
    } catch (MqttException e) {
      LOG.log(Level.DEBUG, "Site broker close error=" + e.getMessage());
    }
  }
}
