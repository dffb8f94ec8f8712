package io.commguard.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.commguard.alert.v1.Ack;
import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertBatch;
import io.commguard.alert.v1.Measurement;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The receiving end, timestamping arrivals with {@link System#nanoTime()}. Three modes:
 * <ul>
 *   <li>{@link Mode#CITY}: subscribes to the gateway's alert topic, decodes each {@code AlertBatch},
 *       counts distinct alerts (by sequence), matches tagged alerts (the {@code rssi} measurement)
 *       to their send time, and publishes the platform {@code Ack} like a city platform would.</li>
 *   <li>{@link Mode#RAW}: subscribes to the devices' topics on a broker (Mosquitto baseline); every
 *       message is one delivery.</li>
 *   <li>{@link Mode#NODE_RED}: subscribes to what the Node-RED flow publishes (alarms and a
 *       progress count every 1,000 messages).</li>
 * </ul>
 * Reconnects every 20 ms while its broker is down (the outage scenario). Threading: all handlers
 * run on the subscriber's own event loop; counters are atomics.
 */
final class CitySubscriber implements AutoCloseable {
  enum Mode { CITY, RAW, NODE_RED }

  private final Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
  private final Context context = vertx.getOrCreateContext();
  private final Mode mode;
  private final String topic;
  private final int qos;
  private final Latencies latencies;
  private final Consumer<String> onDelivery;
  private final Consumer<Long> onProgress;
  private final BitSet seen = new BitSet();
  private volatile Latencies second;
  private MqttClient client;
  private volatile boolean closing;
  private int port;
  final AtomicLong messages = new AtomicLong();
  final AtomicLong alerts = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong batches = new AtomicLong();
  final AtomicLong decodeErrors = new AtomicLong();
  /** The last progress count a Node-RED flow reported (messages it processed). */
  final AtomicLong progress = new AtomicLong();
  volatile long firstArrivalNanos;
  volatile long lastArrivalNanos;

  CitySubscriber(Mode mode, String topic, int qos, Latencies latencies, Consumer<String> onDelivery, Consumer<Long> onProgress) {
    this.mode = mode;
    this.topic = topic;
    this.qos = qos;
    this.latencies = latencies;
    this.onDelivery = onDelivery;
    this.onProgress = onProgress;
  }

  /** Tagged alerts this subscriber's own {@link Latencies} does not know are matched here (a second fleet's). */
  void alsoMatch(Latencies other) {
    second = other;
  }

  void start(int brokerPort) throws Exception {
    this.port = brokerPort;
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> connect(done));
    done.get(15, TimeUnit.SECONDS);
  }

  private void connect(CompletableFuture<Void> done) {
    if (closing) {
      return;
    }
    client = MqttClient.create(vertx, new MqttClientOptions().setClientId("bench-city-" + mode.name().toLowerCase())
        .setCleanSession(true).setMaxInflightQueue(65_535).setMaxMessageSize(64 * 1024 * 1024).setKeepAliveInterval(30));
    client.publishHandler(this::onMessage);
    client.connect(port, "127.0.0.1")
        .compose(ack -> client.subscribe(topic, qos))
        .onSuccess(id -> {
          client.closeHandler(x -> vertx.setTimer(20, t -> connect(null)));
          if (done != null) {
            done.complete(null);
          }
        })
        .onFailure(e -> vertx.setTimer(20, t -> connect(done)));
  }

  private void onMessage(MqttPublishMessage m) {
    long now = System.nanoTime();
    if (firstArrivalNanos == 0) {
      firstArrivalNanos = now;
    }
    lastArrivalNanos = now;
    messages.incrementAndGet();
    switch (mode) {
      case CITY -> onBatch(m, now);
      case RAW -> {
        long tag = tagOf(m.payload());
        if (tag > 0) {
          latencies.arrived(tag, now);
        }
        String t = m.topicName();
        int a = t.indexOf('/');
        int b = t.indexOf('/', a + 1);
        onDelivery.accept(b > a ? t.substring(a + 1, b) : t);
      }
      case NODE_RED -> {
        if (m.topicName().endsWith("/progress")) {
          long n = Long.parseLong(m.payload().toString(StandardCharsets.UTF_8).trim());
          progress.accumulateAndGet(n, Math::max);
          onProgress.accept(n);
        } else {
          alerts.incrementAndGet();
          long tag = tagOf(m.payload());
          if (tag > 0) {
            latencies.arrived(tag, now);
          }
        }
      }
    }
  }

  /**
   * Where the time goes, from the timestamps the gateway puts in the batch (wall clock, ms; the
   * gateway runs on this machine so the clocks agree): device send → rules decided ({@code
   * detected_at_ms - occurred_at_ms}, RAISED alerts only: the device's {@code ts} is their
   * occurred time), rules → batch sent ({@code sent_at_ms - detected_at_ms}: rule-state flush,
   * outbox commit, uplink batching), batch sent → decoded here.
   */
  final org.HdrHistogram.Histogram toRules = new org.HdrHistogram.Histogram(3_600_000L, 2);
  final org.HdrHistogram.Histogram rulesToSent = new org.HdrHistogram.Histogram(3_600_000L, 2);
  final org.HdrHistogram.Histogram sentToCity = new org.HdrHistogram.Histogram(3_600_000L, 2);

  synchronized java.util.Map<String, Object> breakdownMs() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("device_to_rules", stage(toRules));
    m.put("rules_to_batch_sent", stage(rulesToSent));
    m.put("batch_sent_to_city", stage(sentToCity));
    return m;
  }

  private static String stage(org.HdrHistogram.Histogram h) {
    return h.getTotalCount() == 0 ? "no samples" : String.format("p50 %d / p99 %d / max %d ms (n=%d)",
        h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue(), h.getTotalCount());
  }

  synchronized void resetBreakdown() {
    toRules.reset();
    rulesToSent.reset();
    sentToCity.reset();
  }

  private synchronized void breakdown(AlertBatch batch, Alert a, long wallNow) {
    if (a.getState() == io.commguard.alert.v1.AlertState.RAISED) {
      toRules.recordValue(clamp(a.getDetectedAtMs() - a.getOccurredAtMs()));
    }
    rulesToSent.recordValue(clamp(batch.getSentAtMs() - a.getDetectedAtMs()));
    sentToCity.recordValue(clamp(wallNow - batch.getSentAtMs()));
  }

  private static long clamp(long v) {
    return Math.max(0, Math.min(v, 3_600_000L));
  }

  private void onBatch(MqttPublishMessage m, long now) {
    long wallNow = System.currentTimeMillis();
    AlertBatch batch;
    try {
      batch = AlertBatch.parseFrom(m.payload().getBytes());
    } catch (InvalidProtocolBufferException e) {
      decodeErrors.incrementAndGet();
      return;
    }
    batches.incrementAndGet();
    Ack.Builder ack = Ack.newBuilder().setGatewayId(batch.getGatewayId()).addBatchSequences(batch.getBatchSequence());
    for (Alert a : batch.getAlertsList()) {
      ack.addAlertSequences(a.getSequence());
      int seq = (int) a.getSequence();
      if (seen.get(seq)) {
        duplicates.incrementAndGet();
        continue;
      }
      seen.set(seq);
      alerts.incrementAndGet();
      for (Measurement ms : a.getMeasurementsList()) {
        if (ms.getName().equals("rssi") && ms.getValue() > 0 && (latencies.arrived((long) ms.getValue(), now)
            || (second != null && second.arrived((long) ms.getValue(), now)))) {
          breakdown(batch, a, wallNow);
        }
      }
    }
    client.publish("city/" + batch.getGatewayId() + "/acks", Buffer.buffer(ack.build().toByteArray()),
        MqttQoS.AT_LEAST_ONCE, false, false);
  }

  /** The number after {@code "rssi":} in a JSON payload, or -1. */
  static long tagOf(Buffer payload) {
    byte[] b = payload.getBytes();
    byte[] key = "\"rssi\":".getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + key.length < b.length; i++) {
      for (int k = 0; k < key.length; k++) {
        if (b[i + k] != key[k]) {
          continue outer;
        }
      }
      long v = 0;
      int j = i + key.length;
      boolean any = false;
      while (j < b.length && b[j] >= '0' && b[j] <= '9') {
        v = v * 10 + (b[j++] - '0');
        any = true;
      }
      return any ? v : -1;
    }
    return -1;
  }

  @Override
  public void close() {
    closing = true;
    context.runOnContext(v -> {
      if (client != null && client.isConnected()) {
        client.disconnect();
      }
    });
    Pause.millis(100);
    vertx.close().await();
  }
}
