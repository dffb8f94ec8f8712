package io.commguard.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator: one MQTT 3.1.1 connection per simulated device (Netty's MQTT codec), spread
 * over the fleet's event loops. Each device has a window of messages in flight; a message leaves
 * the window when the receiver has it — the PUBACK of the gateway (sent only after the alerts it
 * produced are durably committed), or, in broker baselines, its arrival at the subscriber
 * ({@link #delivered}).
 *
 * <p>Open loop ({@link #start} with a rate): messages are due at a fixed rate, spread round-robin
 * over the devices by a 1 ms tick; a due message whose device's window is full waits (counted as
 * {@code generator_stalls}). Closed loop (rate 0): every window is kept full — refilled as soon as
 * PUBACKs arrive, and by the tick for the other credit modes — which measures the most the
 * receiver sustains with every message accounted for.
 *
 * <p>Why Netty rather than an MQTT client library: the generator shares the box with the peer under
 * test, so every microsecond it spends is taken from the peer. Publishes are written without a
 * flush and flushed once per tick or per read, so a device's messages that are due together leave
 * in one segment, as a batching device or a busy DTU would send them. Every peer (gateway,
 * Mosquitto, Node-RED) is driven by this same generator.
 *
 * <p>Threading: each device belongs to one event loop and is driven only from it; counters are
 * atomics read by the control thread.
 */
final class DeviceFleet implements AutoCloseable {
  /** When a message leaves its device's window. */
  enum Credit {
    /** The gateway's PUBACK (it comes after the durable commit). */
    ON_PUBACK,
    /** The subscriber received this device's message (broker baseline). */
    ON_DELIVERY,
    /** A shared window over all devices, returned by {@link #processed} (a filtering peer). */
    GLOBAL
  }

  private final EventLoopGroup loops;
  private final List<Group> groups = new ArrayList<>();
  private final Map<String, Slot> byId = new HashMap<>();
  private final MqttQoS qos;
  private final int window;
  private final Credit credit;
  private final Latencies latencies;
  private final AtomicLong tags = new AtomicLong();
  final AtomicLong sent = new AtomicLong();
  final AtomicLong acked = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong stalls = new AtomicLong();
  final AtomicLong expectedAlerts = new AtomicLong();
  final AtomicLong disconnects = new AtomicLong();
  private final AtomicLong processed = new AtomicLong();
  private volatile boolean closedLoop;

  private final class Slot {
    final SimDevice device;
    final Group group;
    Channel channel;
    int nextMessageId = 1;
    boolean closing;
    final AtomicInteger inFlight = new AtomicInteger();

    Slot(SimDevice device, Group group) {
      this.device = device;
      this.group = group;
    }
  }

  private static final class Group {
    final EventLoop loop;
    final List<Slot> slots = new ArrayList<>();
    long groupSent;
    int next;
    ScheduledFuture<?> timer;

    Group(EventLoop loop) {
      this.loop = loop;
    }
  }

  DeviceFleet(List<SimDevice> devices, int eventLoops, MqttQoS qos, int window, Credit credit, Latencies latencies) {
    if (qos == MqttQoS.AT_MOST_ONCE && credit == Credit.ON_PUBACK) {
      throw new IllegalArgumentException("QoS 0 publishes get no PUBACK to credit the window with");
    }
    this.loops = new MultiThreadIoEventLoopGroup(eventLoops, NioIoHandler.newFactory());
    this.qos = qos;
    this.window = window;
    this.credit = credit;
    this.latencies = latencies;
    for (int i = 0; i < eventLoops; i++) {
      groups.add(new Group(loops.next()));
    }
    for (int i = 0; i < devices.size(); i++) {
      Group g = groups.get(i % eventLoops);
      Slot slot = new Slot(devices.get(i), g);
      g.slots.add(slot);
      byId.put(slot.device.id, slot);
    }
  }

  /** Connects every device (username = device id) and waits until all are connected. */
  void connect(String host, int port, String password, Duration timeout) throws Exception {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Group g : groups) {
      for (Slot s : g.slots) {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        all.add(connected);
        new Bootstrap().group(g.loop).channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new DeviceHandler(s, password, connected));
              }
            })
            .connect(host, port)
            .addListener(f -> {
              if (!f.isSuccess()) {
                connected.completeExceptionally(f.cause());
              }
            });
      }
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One device's connection: logs in, then counts PUBACKs and (closed loop) refills its window. */
  private final class DeviceHandler extends SimpleChannelInboundHandler<MqttMessage> {
    private final Slot slot;
    private final String password;
    private final CompletableFuture<Void> connected;
    private boolean wrote;

    DeviceHandler(Slot slot, String password, CompletableFuture<Void> connected) {
      this.slot = slot;
      this.password = password;
      this.connected = connected;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      slot.channel = ctx.channel();
      ctx.writeAndFlush(MqttMessageBuilders.connect()
          .protocolVersion(MqttVersion.MQTT_3_1_1)
          .clientId(slot.device.id)
          .username(slot.device.id)
          .password(password.getBytes(StandardCharsets.UTF_8))
          .cleanSession(true)
          .keepAlive(0)
          .build());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
      MqttMessageType type = msg.fixedHeader().messageType();
      if (type == MqttMessageType.CONNACK) {
        MqttConnectReturnCode code = ((MqttConnAckMessage) msg).variableHeader().connectReturnCode();
        if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
          connected.complete(null);
        } else {
          connected.completeExceptionally(new IllegalStateException("device " + slot.device.id + " could not connect: " + code));
        }
      } else if (type == MqttMessageType.PUBACK) {
        acked.incrementAndGet();
        if (credit == Credit.ON_PUBACK) {
          slot.inFlight.decrementAndGet();
          if (closedLoop) {
            wrote |= fill(slot);
          }
        }
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (wrote) {
        wrote = false;
        ctx.flush();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!slot.closing) {
        disconnects.incrementAndGet();
      }
      if (credit == Credit.ON_PUBACK) {
        failed.addAndGet(slot.inFlight.getAndSet(0));
      }
      connected.completeExceptionally(new IllegalStateException("device " + slot.device.id + " disconnected"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** A broker baseline's subscriber received a message of {@code deviceId}: it leaves the window. */
  void delivered(String deviceId) {
    Slot s = byId.get(deviceId);
    if (s != null && credit == Credit.ON_DELIVERY) {
      s.inFlight.decrementAndGet();
    }
  }

  /** A filtering peer reports it has processed {@code total} messages so far (GLOBAL credit). */
  void processed(long total) {
    processed.accumulateAndGet(total, Math::max);
  }

  private boolean mayPublish(Slot s) {
    if (credit == Credit.GLOBAL) {
      return sent.get() - processed.get() < (long) window * byId.size();
    }
    return s.inFlight.get() < window;
  }

  Latencies latencies() {
    return latencies;
  }

  /** Tags from {@code base} on, so that two fleets feeding one subscriber never share a tag. Before {@link #start}. */
  void tagsFrom(long base) {
    tags.set(base);
  }

  /** Starts publishing: {@code ratePerSecond} in total (open loop), or as fast as the windows allow (0). */
  void start(double ratePerSecond) {
    long startNanos = System.nanoTime();
    double share = ratePerSecond / Math.max(1, byId.size());
    closedLoop = ratePerSecond <= 0;
    for (Group g : groups) {
      double groupRate = share * g.slots.size();
      g.loop.execute(() -> g.timer = g.loop.scheduleAtFixedRate(() -> {
        if (ratePerSecond <= 0) {
          for (Slot s : g.slots) {
            if (fill(s)) {
              s.channel.flush();
            }
          }
        } else {
          long due = (long) (groupRate * (System.nanoTime() - startNanos) / 1e9) - g.groupSent;
          publishDue(g, due);
        }
      }, 1, 1, TimeUnit.MILLISECONDS));
    }
  }

  /** Stops publishing; messages in flight still complete. */
  void stop() throws Exception {
    closedLoop = false;
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Group g : groups) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      all.add(done);
      g.loop.execute(() -> {
        if (g.timer != null) {
          g.timer.cancel(false);
        }
        done.complete(null);
      });
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
  }

  /** Waits until every QoS 1 publish is acknowledged, or {@code timeout}; returns true when all were. */
  boolean awaitAcked(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (acked.get() + failed.get() >= sent.get()) {
        return failed.get() == 0;
      }
      Pause.millis(20);
    }
    return false;
  }

  /** Writes (without flushing) as many messages as the device's window allows; true when it wrote any. */
  private boolean fill(Slot s) {
    boolean wrote = false;
    for (int i = 0; i < window && mayPublish(s); i++) {
      publish(s);
      wrote = true;
    }
    return wrote;
  }

  private void publishDue(Group g, long due) {
    int n = g.slots.size();
    Set<Slot> written = new LinkedHashSet<>();
    for (long i = 0; i < due; i++) {
      Slot chosen = null;
      for (int tries = 0; tries < n; tries++) {
        Slot s = g.slots.get(g.next);
        g.next = (g.next + 1) % n;
        if (mayPublish(s)) {
          chosen = s;
          break;
        }
      }
      if (chosen == null) {
        stalls.incrementAndGet();
        break;
      }
      publish(chosen);
      written.add(chosen);
    }
    for (Slot s : written) {
      s.channel.flush();
    }
  }

  private void publish(Slot s) {
    long tag = tags.incrementAndGet();
    SimDevice.Next next = s.device.next(tag);
    if (next.tag() >= 0) {
      latencies.sent(next.tag(), System.nanoTime());
    }
    if (next.expectsAlert()) {
      expectedAlerts.incrementAndGet();
    }
    s.group.groupSent++;
    sent.incrementAndGet();
    int id = s.nextMessageId;
    s.nextMessageId = id == 65_535 ? 1 : id + 1;
    s.inFlight.incrementAndGet();
    s.channel.write(MqttMessageBuilders.publish()
        .topicName(s.device.topic)
        .qos(qos)
        .messageId(qos == MqttQoS.AT_MOST_ONCE ? 0 : id)
        .retained(false)
        .payload(Unpooled.wrappedBuffer(next.payload()))
        .build(), s.channel.voidPromise());
  }

  int devices() {
    return byId.size();
  }

  @Override
  public void close() {
    for (Slot s : byId.values()) {
      if (s.channel != null) {
        s.channel.eventLoop().execute(() -> {
          s.closing = true;
          if (s.channel.isActive()) {
            s.channel.writeAndFlush(MqttMessage.DISCONNECT).addListener(f -> s.channel.close());
          }
        });
      }
    }
    loops.shutdownGracefully(100, 2_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
  }
}
