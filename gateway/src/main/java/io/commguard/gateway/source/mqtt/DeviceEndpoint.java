package io.commguard.gateway.source.mqtt;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.metrics.Untrusted;
import io.commguard.gateway.pipeline.Receipt;
import io.commguard.gateway.security.DeviceAuthenticator;
import io.commguard.gateway.security.DeviceAuthenticator.Decision;
import io.commguard.gateway.security.DeviceAuthenticator.Outcome;
import io.commguard.gateway.source.Ingest;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.impl.MqttConnections;
import io.vertx.mqtt.impl.MqttServerConnection;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded MQTT endpoint devices connect to directly, with no broker in between. One instance
 * per event loop shares the listening port.
 *
 * <p>Security (see docs/security.md): each socket is admitted against {@link ConnectionLimits} and
 * guarded by {@link ConnectGuard} until its CONNECT (size bound, hard deadline); logins are decided
 * by {@link DeviceAuthenticator} (throttled, bounded, never on this event loop when slow); a client
 * that leaves during its login is counted ({@code logins_abandoned}), not logged. A device may
 * publish only under its own topic filter (refused publishes: see {@link #refusePublish});
 * subscriptions are refused — devices send, they do not listen here. Peer text reaches logs and
 * counters only through {@link Untrusted}.
 *
 * <p>The sockets are vertx-mqtt's {@link MqttServerConnection}s behind a pipeline built here
 * rather than by {@code MqttServer}, which has no hook before the CONNECT to apply limits.
 *
 * <p>Acknowledgement: a QoS 1 PUBACK (QoS 2 PUBREC) is sent only once the pipeline has accepted the
 * publish — every alert it produced is committed. Under overload the acknowledgement is delayed
 * (see {@link Ingest}); if even that gives up, the connection is closed unacknowledged, so the
 * device retransmits after reconnecting.
 */
public final class DeviceEndpoint extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(DeviceEndpoint.class.getName());
  /** Room for MQTT framing above the payload limit, so an oversized payload is counted, not a protocol error. */
  private static final int FRAME_OVERHEAD = 8192;
  private static final String UNKNOWN = "_unknown";
  /** Device ids are at most this long (config validation), so a longer name is not even looked up. */
  private static final int MAX_DEVICE_ID_CHARS = 64;

  private final DeviceEndpointConfig config;
  private final MqttDevices devices;
  private final Ingest ingest;
  private final Clock clock;
  /** The logged-in device sessions of this event loop, so a removed or changed device can be disconnected. */
  private final Map<String, MqttEndpoint> sessions = new HashMap<>();
  private final Counters counters;
  private final DeviceAuthenticator authenticator;
  private final ConnectionLimits limits;
  private final RateLimitedLog authLog = new RateLimitedLog(LOG, 10_000);
  private MqttServerOptions options;
  private NetServer server;
  private Runnable stopListening = () -> { };

  public DeviceEndpoint(DeviceEndpointConfig config, MqttDevices devices, Ingest ingest,
      DeviceAuthenticator authenticator, ConnectionLimits limits, Counters counters, Clock clock) {
    this.config = config;
    this.devices = devices;
    this.ingest = ingest;
    this.clock = clock;
    this.authenticator = authenticator;
    this.limits = limits;
    this.counters = counters;
  }

  @Override
  public Future<?> start() {
    options = new MqttServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setMaxMessageSize(config.maxPayloadBytes() + FRAME_OVERHEAD)
        .setTimeoutOnConnect(config.limits().connectTimeoutSeconds());
    if (config.tls() != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.tls().certFile())
          .setKeyPath(config.tls().keyFile()));
      if (config.tls().caFile() != null) {
        // Mutual TLS: the handshake fails for a device without a certificate signed by this CA,
        // before any MQTT byte is read; the password login still follows.
        options.setTrustOptions(new PemTrustOptions().addCertPath(config.tls().caFile()))
            .setClientAuth(ClientAuth.REQUIRED);
      }
    }
    server = vertx.createNetServer(options).connectHandler(this::onSocket);
    stopListening = devices.onDisconnect(ids -> context.runOnContext(v -> disconnect(ids)));
    return server.listen();
  }

  /** Closes the sessions of devices removed, disabled or changed in the registry; they log in again if still allowed. */
  private void disconnect(Set<String> ids) {
    for (String id : ids) {
      MqttEndpoint session = sessions.remove(id);
      if (session != null && session.isConnected()) {
        counters.increment("sessions_closed", id, "device_changed");
        session.close();
      }
    }
  }

  @Override
  public Future<?> stop() {
    stopListening.run();
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void onSocket(NetSocket socket) {
    NetSocketInternal so = (NetSocketInternal) socket;
    String address = so.remoteAddress().hostAddress();
    String refusal = limits.admit(address);
    if (refusal != null) {
      refuseSocket(address, refusal);
      so.close();
      return;
    }
    so.channelHandlerContext().channel().closeFuture().addListener(f -> limits.release(address));
    ChannelPipeline pipeline = so.channelHandlerContext().pipeline();
    pipeline.addBefore("handler", "mqttEncoder", MqttEncoder.INSTANCE);
    pipeline.addBefore("handler", PublishSizeGuard.NAME, new PublishSizeGuard(options.getMaxMessageSize()));
    pipeline.addBefore("handler", ConnectGuard.NAME, new ConnectGuard(config.limits().maxConnectBytes(),
        config.limits().connectTimeoutSeconds() * 1000L, reason -> refuseSocket(address, reason)));
    pipeline.addBefore("handler", "mqttDecoder", new MqttDecoder(options.getMaxMessageSize(), options.getMaxClientIdLength()));
    // vertx-mqtt replaces the handler named "idle" by its keep-alive watch when the CONNECT arrives.
    pipeline.addBefore("handler", "idle", new IdleStateHandler(options.timeoutOnConnect(), 0, 0));
    MqttServerConnection connection = new MqttServerConnection(so, endpoint -> onConnect(endpoint, so),
        e -> counters.increment("connections_refused", null, "invalid_client_id"), options);
    so.exceptionHandler(e -> {
      counters.increment("connection_errors", UNKNOWN, e.getClass().getSimpleName());
      so.close();
    });
    so.eventHandler(ReferenceCountUtil::release);
    so.messageHandler(msg -> {
      synchronized (connection) {
        try {
          MqttConnections.handle(connection, msg);
        } catch (IllegalArgumentException | IllegalStateException clientLeft) {
          // vertx-mqtt throws these for a packet from a client that is not (or no longer) connected,
          // e.g. one that gave up waiting for its CONNACK; the socket is closed already.
          counters.increment("packets_after_close");
        }
      }
    });
  }

  private void refuseSocket(String address, String reason) {
    counters.increment("connections_refused", null, reason);
    authLog.log(Level.WARNING, "socket|" + reason, "Refused device socket reason=" + reason + " remote=" + address);
  }

  private void onConnect(MqttEndpoint endpoint, NetSocketInternal so) {
    AtomicBoolean gone = new AtomicBoolean();
    String address = endpoint.remoteAddress().hostAddress();
    String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
    DeviceBinding binding = Untrusted.fits(username, MAX_DEVICE_ID_CHARS) ? devices.get(username) : null;
    AtomicBoolean accepted = new AtomicBoolean();
    endpoint.closeHandler(v -> {
      gone.set(true);
      if (binding != null) {
        sessions.remove(username, endpoint);
        if (accepted.get()) {
          ingest.disconnected(binding.device().deviceId());
        }
      }
    });
    String storedHash = binding == null ? null : binding.passwordHash();
    char[] password = endpoint.auth() == null || endpoint.auth().getPassword() == null
        ? null : endpoint.auth().getPassword().toCharArray();
    CompletableFuture<Decision> decided = authenticator.authenticate(address, username, password, storedHash, gone::get);
    if (decided.isDone()) {
      finishLogin(endpoint, so, gone, accepted, address, username, binding, decided.join());
      return;
    }
    decided.whenComplete((decision, error) -> context.runOnContext(v -> finishLogin(endpoint, so, gone, accepted, address,
        username, binding, error == null ? decision : Decision.of(Outcome.BUSY))));
  }

  private void finishLogin(MqttEndpoint endpoint, NetSocketInternal so, AtomicBoolean gone, AtomicBoolean accepted,
      String address, String username, DeviceBinding binding, Decision decision) {
    if (decision.lockoutStarted() != null) {
      counters.increment("login_lockouts", null, decision.lockoutStarted());
      authLog.log(Level.WARNING, "lockout|" + address, "Login backoff started by=" + decision.lockoutStarted()
          + " remote=" + address + " username=" + who(username, binding));
    }
    if (gone.get() || decision.outcome() == Outcome.ABANDONED) {
      counters.increment("logins_abandoned");
      return;
    }
    if (decision.outcome() == Outcome.ACCEPTED && devices.get(username) != binding) {
      // Removed, disabled or changed while its password was being checked: it logs in again against the new entry.
      refuse(endpoint, address, username, binding, "device_changed",
          MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
      return;
    }
    switch (decision.outcome()) {
      case ACCEPTED -> {
        accept(endpoint, so, binding);
        accepted.set(true);
        ingest.connected(binding.device().deviceId(), address);
      }
      case BUSY -> refuse(endpoint, address, username, binding, "busy",
          MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
      case LOCKED_OUT -> refuse(endpoint, address, username, binding, "locked_out",
          MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
      case MALFORMED -> refuse(endpoint, address, username, binding, "malformed_username",
          MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
      default -> refuse(endpoint, address, username, binding, binding == null ? "unknown_device" : "bad_credentials",
          MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
    }
  }

  /** A configured device id as itself; anything else (it may hold a person's name) only as a pseudonym. */
  private static String who(String username, DeviceBinding binding) {
    return binding != null ? Untrusted.label(username) : Untrusted.pseudonym(username);
  }

  private void refuse(MqttEndpoint endpoint, String address, String username, DeviceBinding binding, String reason,
      MqttConnectReturnCode v5, MqttConnectReturnCode v311) {
    String device = binding == null ? UNKNOWN : binding.device().deviceId();
    counters.increment("connections_refused", device, reason);
    if (binding != null && !reason.equals("busy") && !reason.equals("device_changed")) {
      ingest.refused(device, reason);
    }
    authLog.log(Level.WARNING, device + '|' + reason,
        "Refused device connection device=" + who(username, binding) + " reason=" + reason + " remote=" + address);
    endpoint.reject(endpoint.protocolVersion() >= 5 ? v5 : v311);
  }

  private void accept(MqttEndpoint endpoint, NetSocketInternal so, DeviceBinding binding) {
    endpoint.publishAutoAck(false);
    endpoint.publishHandler(message -> onPublish(endpoint, so, binding, message));
    endpoint.publishReleaseHandler(endpoint::publishComplete);
    endpoint.subscribeHandler(subscribe -> endpoint.subscribeAcknowledge(subscribe.messageId(),
        Collections.nCopies(subscribe.topicSubscriptions().size(), MqttSubAckReasonCode.NOT_AUTHORIZED),
        MqttProperties.NO_PROPERTIES));
    endpoint.exceptionHandler(e -> counters.increment("connection_errors", binding.device().deviceId(), e.getClass().getSimpleName()));
    so.channelHandlerContext().pipeline().get(PublishSizeGuard.class)
        .arm(o -> oversized(endpoint, so, binding, o.qos(), o.packetId(), o.bytes()));
    MqttProperties connack = new MqttProperties();
    if (endpoint.protocolVersion() >= 5) {
      // Tells an MQTT 5 client the frame limit, so a conforming one never sends a larger packet.
      connack.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value(),
          options.getMaxMessageSize()));
    }
    endpoint.accept(false, connack);
    sessions.put(binding.device().deviceId(), endpoint);
    counters.increment("connections_accepted");
  }

  private void onPublish(MqttEndpoint endpoint, NetSocketInternal so, DeviceBinding binding, MqttPublishMessage message) {
    String deviceId = binding.device().deviceId();
    if (!binding.topicFilter().matches(message.topicName())) {
      counters.increment("rejected", deviceId, "topic_not_allowed");
      ingest.refused(deviceId, "topic_not_allowed");
      authLog.log(Level.WARNING, deviceId + "|acl",
          "Rejected publish outside the device's topic device=" + deviceId + " topic=" + Untrusted.label(message.topicName())
              + " allowed=" + binding.topicFilter());
      refusePublish(endpoint, so, message);
      return;
    }
    if (message.payload().length() > config.maxPayloadBytes()) {
      oversized(endpoint, so, binding, message.qosLevel().value(), message.messageId(), message.payload().length());
      return;
    }
    byte[] payload = message.payload().getBytes();
    Receipt receipt = message.qosLevel() == MqttQoS.AT_MOST_ONCE ? null
        : Receipt.of(deviceId, message.messageId(), message.isDup(), message.topicName(), payload);
    CompletableFuture<Void> accepted = ingest.receive(deviceId, payload.length, config.maxPayloadBytes(),
        binding.decoding(message.topicName(), payload, clock), receipt).toCompletableFuture();
    if (accepted.isDone() && !accepted.isCompletedExceptionally()) {
      // Most publishes produce no alert and are accepted at once: acknowledging here, inside the
      // read, lets Vert.x flush all the PUBACKs of one socket read with a single write.
      acknowledge(endpoint, message, MqttPubAckReasonCode.SUCCESS);
      return;
    }
    accepted.whenComplete((ok, error) -> context.runOnContext(v -> {
      if (error == null) {
        acknowledge(endpoint, message, MqttPubAckReasonCode.SUCCESS);
      } else {
        counters.increment("publishes_not_acknowledged", deviceId, "overloaded");
        if (endpoint.isConnected()) {
          endpoint.close();
        }
      }
    }));
  }

  /**
   * Answers a publish the device may not make. MQTT 5 says so in the acknowledgement (PUBACK or
   * PUBREC with reason 0x87 Not authorized). MQTT 3.1.1 acknowledgements carry no reason, and a
   * success PUBACK would tell the device its report was delivered, so the connection is closed
   * instead (the 3.1.1 specification allows exactly these two answers); the device's own
   * reconnect backoff paces its retries. At QoS 0 nothing is sent on either version. The PUBREC is
   * written directly: vertx-mqtt 5.0.8's {@code publishReceived} drops the reason code.
   */
  private static void refusePublish(MqttEndpoint endpoint, NetSocketInternal so, MqttPublishMessage message) {
    if (message.qosLevel() == MqttQoS.AT_MOST_ONCE || !endpoint.isConnected()) {
      return;
    }
    if (endpoint.protocolVersion() < 5) {
      endpoint.close();
    } else if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
      endpoint.publishAcknowledge(message.messageId(), MqttPubAckReasonCode.NOT_AUTHORIZED, MqttProperties.NO_PROPERTIES);
    } else {
      so.writeMessage(MqttMessageFactory.newMessage(
          new MqttFixedHeader(MqttMessageType.PUBREC, false, MqttQoS.AT_MOST_ONCE, false, 0),
          new MqttPubReplyMessageVariableHeader(message.messageId(), MqttPubRecReasonCode.NOT_AUTHORIZED.value(),
              MqttProperties.NO_PROPERTIES), null));
    }
  }

  /**
   * A publish above {@code maxPayloadBytes}, read or swallowed unread by {@link PublishSizeGuard}:
   * counted and logged (by {@link Ingest#oversized}), and acknowledged, so that a device with a
   * persistent session does not send it again and again ahead of its later alarms. MQTT 5 hears why:
   * reason 0x97 (an administratively imposed limit was exceeded; 0x95 "packet too large" exists only
   * for CONNACK and DISCONNECT, and clients refuse it in a PUBACK) with a reason string. MQTT 3.1.1
   * acknowledgements carry no reason: the device gets a plain PUBACK (PUBREC at QoS 2) and the
   * connection stays open; the gateway's counter and log line are the only record.
   */
  private void oversized(MqttEndpoint endpoint, NetSocketInternal so, DeviceBinding binding, int qos, int packetId,
      long bytes) {
    ingest.oversized(binding.device().deviceId(), bytes, config.maxPayloadBytes());
    if (qos == 0 || packetId <= 0 || !endpoint.isConnected()) {
      return;
    }
    if (endpoint.protocolVersion() < 5) {
      if (qos == 1) {
        endpoint.publishAcknowledge(packetId);
      } else {
        endpoint.publishReceived(packetId);
      }
      return;
    }
    MqttProperties why = new MqttProperties();
    why.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.REASON_STRING.value(),
        "packet too large: " + bytes + " bytes, payload limit " + config.maxPayloadBytes()));
    if (qos == 1) {
      endpoint.publishAcknowledge(packetId, MqttPubAckReasonCode.QUOTA_EXCEEDED, why);
    } else {
      so.writeMessage(MqttMessageFactory.newMessage(
          new MqttFixedHeader(MqttMessageType.PUBREC, false, MqttQoS.AT_MOST_ONCE, false, 0),
          new MqttPubReplyMessageVariableHeader(packetId, MqttPubRecReasonCode.QUOTA_EXCEEDED.value(), why), null));
    }
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
