package io.commguard.gateway.source.mqtt;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.metrics.Untrusted;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.pipeline.EventSink;
import io.commguard.gateway.pipeline.OverloadedException;
import io.commguard.gateway.pipeline.Receipt;
import io.commguard.gateway.profile.DecodeException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes one MQTT publish from a known device and hands the events to the pipeline.
 *
 * <p>Outcome policy, which decides whether the publisher gets its PUBACK: a payload that can never
 * be decoded (too large, malformed, wrong types) is counted, logged without its content and
 * <em>completed normally</em> — retransmitting it would not help. When the pipeline is overloaded,
 * an at-least-once publish is held and retried with backoff (10 ms doubling to 1 s) until accepted,
 * so the device gets its PUBACK late instead of never; at most {@link #MAX_HELD} publishes are held
 * at once, beyond which the stage fails with the overload and the source closes the connection so
 * the device retransmits. At-most-once publishes are dropped and counted on overload.
 */
public final class MqttIngest {
  private static final System.Logger LOG = System.getLogger(MqttIngest.class.getName());
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final EventSink sink;
  private final Counters counters;
  private final Clock clock;
  private final int maxPayloadBytes;
  static final int MAX_HELD = 10_000;

  private final RateLimitedLog rejectLog = new RateLimitedLog(LOG, 10_000);
  private final ScheduledExecutorService retryTimer;
  private final AtomicInteger held = new AtomicInteger();

  public MqttIngest(EventSink sink, Counters counters, Clock clock, int maxPayloadBytes, ScheduledExecutorService retryTimer) {
    this.sink = sink;
    this.counters = counters;
    this.clock = clock;
    this.maxPayloadBytes = maxPayloadBytes;
    this.retryTimer = retryTimer;
  }

  /**
   * Decodes and hands over one publish. With a {@code receipt} (an at-least-once publish), an
   * overloaded pipeline is retried as described above, and a retransmission of a publish already
   * committed is recognised by the pipeline; the stage completes when the publish may be
   * acknowledged.
   */
  public CompletionStage<Void> ingest(DeviceBinding binding, String topic, byte[] payload, Receipt receipt) {
    boolean atLeastOnce = receipt != null;
    CompletableFuture<Void> first = decodeAndAccept(binding, topic, payload, receipt).toCompletableFuture();
    if (!atLeastOnce || (first.isDone() && !first.isCompletedExceptionally())) {
      return first;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    first.whenComplete((ok, error) -> retryOrFinish(binding, topic, payload, receipt, error, 10, done, false));
    return done;
  }

  private void retryOrFinish(DeviceBinding binding, String topic, byte[] payload, Receipt receipt, Throwable error, long delayMs,
      CompletableFuture<Void> done, boolean holding) {
    if (error == null || !(unwrap(error) instanceof OverloadedException)) {
      if (holding) {
        held.decrementAndGet();
      }
      if (error == null) {
        done.complete(null);
      } else {
        done.completeExceptionally(error);
      }
      return;
    }
    if (!holding && held.incrementAndGet() > MAX_HELD) {
      held.decrementAndGet();
      done.completeExceptionally(error);
      return;
    }
    counters.increment("publishes_held", binding.device().deviceId(), "overloaded");
    retryTimer.schedule(() -> decodeAndAccept(binding, topic, payload, receipt).whenComplete((ok, again) ->
        retryOrFinish(binding, topic, payload, receipt, again, Math.min(delayMs * 2, 1000), done, true)),
        delayMs, TimeUnit.MILLISECONDS);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private CompletionStage<Void> decodeAndAccept(DeviceBinding binding, String topic, byte[] payload, Receipt receipt) {
    String deviceId = binding.device().deviceId();
    counters.increment("messages_in");
    if (payload.length > maxPayloadBytes) {
      return reject(deviceId, "", "oversized_payload", payload.length + " bytes > limit " + maxPayloadBytes);
    }
    List<DeviceEvent> events;
    try {
      events = binding.decoder().decode(binding.device(), topic, payload, clock.instant());
    } catch (DecodeException e) {
      return reject(deviceId, e.field(), e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      return reject(deviceId, "", "decoder_error", e.getClass().getSimpleName());
    }
    return sink.accept(events, receipt);
  }

  /** Counts and logs a publish above the payload limit that the device endpoint did not read. */
  public void oversized(DeviceBinding binding, long bytes) {
    counters.increment("messages_in");
    reject(binding.device().deviceId(), "", "oversized_payload", bytes + " bytes > limit " + maxPayloadBytes);
  }

  /** Counts a publish from a client or topic the gateway does not know. */
  public void unknownDevice(String deviceId, String topic) {
    counters.increment("rejected", deviceId, "unknown_device");
    rejectLog.log(Level.WARNING, "unknown|" + Untrusted.label(deviceId),
        "Rejected publish from unknown device device=" + Untrusted.label(deviceId) + " topic=" + Untrusted.label(topic));
  }

  private CompletionStage<Void> reject(String deviceId, String field, String reason, String detail) {
    counters.increment("rejected", deviceId, reason);
    rejectLog.log(Level.WARNING, deviceId + '|' + reason,
        "Rejected payload device=" + deviceId + " field=" + (field.isEmpty() ? "-" : field)
            + " reason=" + reason + " detail=\"" + detail + "\"");
    return DONE;
  }
}
