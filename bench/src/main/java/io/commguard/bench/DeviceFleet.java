package io.commguard.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator: one MQTT connection per simulated device, spread over the fleet's event
 * loops. Each device has a window of messages in flight; a message leaves the window when the
 * receiver has it — the PUBACK of the gateway (sent only after the alerts it produced are durably
 * committed), or, in broker baselines, its arrival at the subscriber ({@link #delivered}).
 *
 * <p>Open loop ({@link #run} with a rate): messages are due at a fixed rate, spread round-robin over
 * the devices; a due message whose device's window is full waits (counted as {@code
 * generator_stalls}). Closed loop (rate 0): every window is kept full, which measures the most
 * the receiver sustains with every message accounted for.
 *
 * <p>Threading: each device belongs to one event-loop context and is driven only from it (a 1 ms
 * timer); counters are atomics read by the control thread.
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

  private final Vertx vertx;
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

  private static final class Slot {
    final SimDevice device;
    MqttClient client;
    final AtomicInteger inFlight = new AtomicInteger();

    Slot(SimDevice device) {
      this.device = device;
    }
  }

  private final class Group {
    final Context context;
    final List<Slot> slots = new ArrayList<>();
    long groupSent;
    int next;
    long timer = -1;

    Group(Context context) {
      this.context = context;
    }
  }

  DeviceFleet(List<SimDevice> devices, int eventLoops, MqttQoS qos, int window, Credit credit, Latencies latencies) {
    this.vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(eventLoops));
    this.qos = qos;
    this.window = window;
    this.credit = credit;
    this.latencies = latencies;
    for (int i = 0; i < eventLoops; i++) {
      groups.add(new Group(vertx.getOrCreateContext()));
    }
    for (int i = 0; i < devices.size(); i++) {
      Slot slot = new Slot(devices.get(i));
      groups.get(i % eventLoops).slots.add(slot);
      byId.put(slot.device.id, slot);
    }
  }

  /** Connects every device (username = device id) and waits until all are connected. */
  void connect(String host, int port, String password, Duration timeout) throws Exception {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Group g : groups) {
      for (Slot s : g.slots) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        all.add(done);
        g.context.runOnContext(v -> {
          MqttClientOptions o = new MqttClientOptions()
              .setClientId(s.device.id)
              .setUsername(s.device.id)
              .setPassword(password)
              .setMaxInflightQueue(65_535)
              .setKeepAliveInterval(60)
              .setAckTimeout(-1)
              .setCleanSession(true);
          s.client = MqttClient.create(vertx, o);
          s.client.publishCompletionHandler(id -> completed(s));
          s.client.closeHandler(x -> disconnects.incrementAndGet());
          s.client.connect(port, host).onComplete(r -> {
            if (r.succeeded() && r.result().code().byteValue() == 0) {
              done.complete(null);
            } else {
              done.completeExceptionally(new IllegalStateException("device " + s.device.id + " could not connect: "
                  + (r.failed() ? r.cause() : r.result().code())));
            }
          });
        });
      }
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void completed(Slot s) {
    acked.incrementAndGet();
    if (credit == Credit.ON_PUBACK) {
      s.inFlight.decrementAndGet();
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

  /** Starts publishing: {@code ratePerSecond} in total (open loop), or as fast as the windows allow (0). */
  void start(double ratePerSecond) {
    long startNanos = System.nanoTime();
    double share = ratePerSecond / Math.max(1, byId.size());
    for (Group g : groups) {
      double groupRate = share * g.slots.size();
      g.context.runOnContext(v -> g.timer = vertx.setPeriodic(1, 1, id -> {
        if (ratePerSecond <= 0) {
          fillWindows(g);
        } else {
          long due = (long) (groupRate * (System.nanoTime() - startNanos) / 1e9) - g.groupSent;
          publishDue(g, due);
        }
      }));
    }
  }

  /** Stops publishing; messages in flight still complete. */
  void stop() throws Exception {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Group g : groups) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      all.add(done);
      g.context.runOnContext(v -> {
        if (g.timer >= 0) {
          vertx.cancelTimer(g.timer);
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
      Mosquitto.sleep(20);
    }
    return false;
  }

  private void fillWindows(Group g) {
    for (Slot s : g.slots) {
      for (int i = 0; i < window && mayPublish(s); i++) {
        publish(g, s);
      }
    }
  }

  private void publishDue(Group g, long due) {
    int n = g.slots.size();
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
        return;
      }
      publish(g, chosen);
    }
  }

  private void publish(Group g, Slot s) {
    long tag = tags.incrementAndGet();
    SimDevice.Next next = s.device.next(tag);
    if (next.tag() >= 0) {
      latencies.sent(next.tag(), System.nanoTime());
    }
    if (next.expectsAlert()) {
      expectedAlerts.incrementAndGet();
    }
    s.inFlight.incrementAndGet();
    g.groupSent++;
    sent.incrementAndGet();
    Future<Integer> f = s.client.publish(s.device.topic, Buffer.buffer(next.payload()), qos, false, false);
    f.onFailure(e -> {
      failed.incrementAndGet();
      s.inFlight.decrementAndGet();
    });
    if (qos == MqttQoS.AT_MOST_ONCE && credit == Credit.ON_PUBACK) {
      s.inFlight.decrementAndGet();
    }
  }

  int devices() {
    return byId.size();
  }

  @Override
  public void close() {
    for (Group g : groups) {
      for (Slot s : g.slots) {
        if (s.client != null) {
          g.context.runOnContext(v -> {
            if (s.client.isConnected()) {
              s.client.disconnect();
            }
          });
        }
      }
    }
    Mosquitto.sleep(200);
    vertx.close().await();
  }
}
