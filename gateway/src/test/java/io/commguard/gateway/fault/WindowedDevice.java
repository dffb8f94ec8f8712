package io.commguard.gateway.fault;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A gas detector as firmware with an MQTT session would behave: it keeps up to {@code window} QoS 1
 * reports in flight, and after a reconnect it first retransmits every unacknowledged report with
 * the same packet id and the DUP flag set, in order, then sends new ones. Reports alternate
 * high / normal, each with a unique token (attribute {@code firmware}) and a unique concentration,
 * so each one opens or closes a gas episode. All state lives on one Netty event loop per device.
 */
final class WindowedDevice {
  /** One report; {@code high} opens an episode, normal closes it. */
  record Report(String token, boolean high, byte[] payload) {}

  private final String id;
  private final String password;
  private final int port;
  private final int window;
  private final long periodMs;
  private final EventLoop group;
  private final LinkedHashMap<Integer, Report> inFlight = new LinkedHashMap<>();
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private Channel channel;
  private boolean connected;
  private int nextPacketId;
  private int count;
  private volatile boolean producing = true;
  private volatile boolean stopped;
  private volatile boolean lastWasHigh;
  private volatile long lastAckNanos;
  private volatile int inFlightCount;

  WindowedDevice(String id, String password, int port, int window, long periodMs, EventLoopGroup group) {
    this.id = id;
    this.password = password;
    this.port = port;
    this.window = window;
    this.periodMs = periodMs;
    this.group = group.next();
  }

  void start() {
    group.execute(this::connect);
    group.scheduleAtFixedRate(() -> {
      if (!stopped) {
        fill();
      }
    }, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  /** Stops new reports, except one last normal report if the last one was high (the device returns to normal). */
  void finish() {
    group.execute(() -> {
      if (lastWasHigh) {
        send(next(false));
      }
      producing = false;
    });
  }

  /** True once finished and every report is acknowledged. */
  boolean settled() {
    return !producing && inFlightCount == 0;
  }

  void stop() {
    stopped = true;
    group.execute(() -> {
      if (channel != null) {
        channel.close();
      }
    });
  }

  String id() {
    return id;
  }

  int window() {
    return window;
  }

  long lastAckNanos() {
    return lastAckNanos;
  }

  Set<String> ackedTokens() {
    return Set.copyOf(acked);
  }

  private void connect() {
    if (stopped) {
      return;
    }
    new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new Handler());
      }
    }).connect("127.0.0.1", port).addListener(f -> {
      if (!f.isSuccess()) {
        reconnectLater();
      }
    });
  }

  private void reconnectLater() {
    if (!stopped) {
      group.schedule(this::connect, 200, TimeUnit.MILLISECONDS);
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<MqttMessage> {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      ctx.writeAndFlush(MqttMessageBuilders.connect().clientId(id).username(id)
          .password(password.getBytes(StandardCharsets.UTF_8)).cleanSession(true).keepAlive(30)
          .protocolVersion(MqttVersion.MQTT_3_1_1).build());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
      if (msg instanceof MqttConnAckMessage ack) {
        if (ack.variableHeader().connectReturnCode() != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
          ctx.close();
          return;
        }
        connected = true;
        for (var e : inFlight.entrySet()) {
          ctx.write(publish(e.getKey(), e.getValue(), true));
        }
        ctx.flush();
        fill();
      } else if (msg.fixedHeader().messageType() == MqttMessageType.PUBACK) {
        Report r = inFlight.remove(((MqttMessageIdVariableHeader) msg.variableHeader()).messageId());
        inFlightCount = inFlight.size();
        if (r != null) {
          acked.add(r.token());
          lastAckNanos = System.nanoTime();
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      connected = false;
      channel = null;
      reconnectLater();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private void fill() {
    while (connected && producing && inFlight.size() < window) {
      send(next(!lastWasHigh));
    }
  }

  private Report next(boolean high) {
    count++;
    String token = id + "-" + count;
    String json = "{\"status\":\"" + (high ? "high" : "normal") + "\",\"ts\":" + System.currentTimeMillis()
        + ",\"sensor\":\"s1\",\"gas\":{\"type\":\"CH4\",\"concentration\":" + (high ? 60 : 0) + "." + count
        + "},\"fw\":\"" + token + "\"}";
    lastWasHigh = high;
    Report r = new Report(token, high, json.getBytes(StandardCharsets.UTF_8));
    return r;
  }

  private void send(Report r) {
    do {
      nextPacketId = nextPacketId % 65535 + 1;
    } while (inFlight.containsKey(nextPacketId));
    inFlight.put(nextPacketId, r);
    inFlightCount = inFlight.size();
    if (connected) {
      channel.writeAndFlush(publish(nextPacketId, r, false));
    }
  }

  private MqttPublishMessage publish(int packetId, Report r, boolean dup) {
    return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.AT_LEAST_ONCE, false, 0),
        new MqttPublishVariableHeader("devices/" + id + "/report", packetId), Unpooled.wrappedBuffer(r.payload()));
  }
}
