package io.commguard.gateway.source.mqtt;

import io.commguard.gateway.config.DeviceEndpointConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.security.VerifiedPasswords;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The embedded MQTT endpoint devices connect to directly, with no broker in between. One instance
 * per event loop shares the listening port.
 *
 * <p>Security: every client must log in with a configured device id as username and its password
 * (checked against a salted hash on a worker thread, then remembered as a fast digest); a device may publish only under its own
 * topic filter; subscriptions are refused — devices send, they do not listen here.
 *
 * <p>Acknowledgement: a QoS 1 PUBACK (QoS 2 PUBREC) is sent only once the pipeline has accepted the
 * publish — every alert it produced is committed. Under overload the acknowledgement is delayed
 * (see {@link MqttIngest}); if even that gives up, the connection is closed unacknowledged, so the
 * device retransmits after reconnecting.
 */
public final class DeviceEndpoint extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(DeviceEndpoint.class.getName());
  /** Room for MQTT framing above the payload limit, so an oversized payload is counted, not a protocol error. */
  private static final int FRAME_OVERHEAD = 8192;

  private final DeviceEndpointConfig config;
  private final Map<String, DeviceBinding> devices;
  private final MqttIngest ingest;
  private final Counters counters;
  private final VerifiedPasswords verified;
  private final RateLimitedLog authLog = new RateLimitedLog(LOG, 10_000);
  private MqttServer server;

  public DeviceEndpoint(DeviceEndpointConfig config, Map<String, DeviceBinding> devices, MqttIngest ingest,
      VerifiedPasswords verified, Counters counters) {
    this.config = config;
    this.verified = verified;
    this.devices = devices;
    this.ingest = ingest;
    this.counters = counters;
  }

  @Override
  public Future<?> start() {
    MqttServerOptions options = new MqttServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setMaxMessageSize(config.maxPayloadBytes() + FRAME_OVERHEAD)
        .setTimeoutOnConnect(10);
    if (config.tls() != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.tls().certFile())
          .setKeyPath(config.tls().keyFile()));
    }
    server = MqttServer.create(vertx, options).endpointHandler(this::onConnect);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void onConnect(MqttEndpoint endpoint) {
    String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
    DeviceBinding binding = username == null ? null : devices.get(username);
    if (binding == null || binding.passwordHash() == null || endpoint.auth().getPassword() == null) {
      refuse(endpoint, username, "unknown_device");
      return;
    }
    char[] password = endpoint.auth().getPassword().toCharArray();
    if (verified.known(username, password, binding.passwordHash())) {
      accept(endpoint, binding);
      return;
    }
    vertx.executeBlocking(() -> verified.verify(username, password, binding.passwordHash()), false)
        .onComplete(result -> {
          if (result.succeeded() && result.result()) {
            accept(endpoint, binding);
          } else {
            refuse(endpoint, username, "bad_credentials");
          }
        });
  }

  private void refuse(MqttEndpoint endpoint, String username, String reason) {
    String who = username == null ? "-" : username;
    counters.increment("connections_refused", who, reason);
    authLog.log(Level.WARNING, who + '|' + reason,
        "Refused device connection device=" + who + " reason=" + reason + " remote=" + endpoint.remoteAddress());
    endpoint.reject(endpoint.protocolVersion() >= 5
        ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
  }

  private void accept(MqttEndpoint endpoint, DeviceBinding binding) {
    endpoint.publishAutoAck(false);
    endpoint.publishHandler(message -> onPublish(endpoint, binding, message));
    endpoint.publishReleaseHandler(endpoint::publishComplete);
    endpoint.subscribeHandler(subscribe -> endpoint.subscribeAcknowledge(subscribe.messageId(),
        Collections.nCopies(subscribe.topicSubscriptions().size(), MqttSubAckReasonCode.NOT_AUTHORIZED),
        MqttProperties.NO_PROPERTIES));
    endpoint.exceptionHandler(e -> counters.increment("connection_errors", binding.device().deviceId(), e.getClass().getSimpleName()));
    endpoint.accept(false);
    counters.increment("connections_accepted");
  }

  private void onPublish(MqttEndpoint endpoint, DeviceBinding binding, MqttPublishMessage message) {
    String deviceId = binding.device().deviceId();
    if (!binding.topicFilter().matches(message.topicName())) {
      counters.increment("rejected", deviceId, "topic_not_allowed");
      authLog.log(Level.WARNING, deviceId + "|acl",
          "Rejected publish outside the device's topic device=" + deviceId + " topic=" + message.topicName()
              + " allowed=" + binding.topicFilter());
      acknowledge(endpoint, message, MqttPubAckReasonCode.NOT_AUTHORIZED);
      return;
    }
    byte[] payload = message.payload().getBytes();
    CompletableFuture<Void> accepted = ingest.ingest(binding, message.topicName(), payload,
        message.qosLevel() != MqttQoS.AT_MOST_ONCE).toCompletableFuture();
    if (accepted.isDone() && !accepted.isCompletedExceptionally()) {
      // Most publishes produce no alert and are accepted at once: acknowledging here, inside the
      // read, lets Vert.x flush all the PUBACKs of one socket read with a single write.
      acknowledge(endpoint, message, MqttPubAckReasonCode.SUCCESS);
      return;
    }
    accepted.whenComplete((ok, error) -> context.runOnContext(v -> {
      if (error == null) {
        acknowledge(endpoint, message, MqttPubAckReasonCode.SUCCESS);
      } else if (message.qosLevel() != MqttQoS.AT_MOST_ONCE) {
        counters.increment("publishes_not_acknowledged", deviceId, "overloaded");
        if (endpoint.isConnected()) {
          endpoint.close();
        }
      } else {
        counters.increment("dropped", deviceId, "overloaded_qos0");
      }
    }));
  }

  private static void acknowledge(MqttEndpoint endpoint, MqttPublishMessage message, MqttPubAckReasonCode code) {
    if (!endpoint.isConnected()) {
      return;
    }
    switch (message.qosLevel()) {
      case AT_LEAST_ONCE -> {
        if (endpoint.protocolVersion() >= 5) {
          endpoint.publishAcknowledge(message.messageId(), code, MqttProperties.NO_PROPERTIES);
        } else {
          endpoint.publishAcknowledge(message.messageId());
        }
      }
      case EXACTLY_ONCE -> endpoint.publishReceived(message.messageId());
      default -> { }
    }
  }
}
