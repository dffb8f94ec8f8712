package io.commguard.gateway.source;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.metrics.Untrusted;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.pipeline.EventSink;
import io.commguard.gateway.pipeline.OverloadedException;
import io.commguard.gateway.pipeline.Receipt;
import io.commguard.gateway.profile.DecodeException;
import io.commguard.gateway.status.DeviceStatusBoard;
import io.commguard.gateway.status.Outcome;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one path from every source into the pipeline, with one outcome policy and one set of
 * counters, each labelled by device: {@code received} (every message or poll result handed in),
 * {@code rejected} by reason (can never be decoded: too large, malformed, wrong types, unknown
 * sender — counted, logged without content, and completed normally, because sending it again
 * would not help), {@code held} (delayed by overload, retried), {@code dropped} (lost by overload:
 * only at-most-once messages) and {@code acknowledged} (everything it produced is committed).
 *
 * <p>Overload: an at-least-once message (one with a {@link Receipt}) is held and retried with
 * backoff (10 ms doubling to 1 s) until accepted, so its sender gets the acknowledgement late
 * instead of never; at most {@link #MAX_HELD} are held at once, beyond which the stage fails with
 * the overload and the source drops the connection unacknowledged, so the sender retransmits.
 * At-most-once messages are dropped. Polled state ({@link #deliver}) fails at once: the source
 * reads it again on its next poll.
 *
 * <p>The same reports feed the devices' live status ({@link DeviceStatusBoard}); sources add what
 * only they know: sessions opening and closing, poll answers, refused logins and publishes.
 */
public final class Ingest {
  private static final System.Logger LOG = System.getLogger(Ingest.class.getName());
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  static final int MAX_HELD = 10_000;

  /** Decodes one message; throws {@link DecodeException} for a payload that can never be decoded. */
  @FunctionalInterface
  public interface Decoding {
    List<DeviceEvent> decode() throws DecodeException;
  }

  private final EventSink sink;
  private final Counters counters;
  private final RateLimitedLog rejectLog = new RateLimitedLog(LOG, 10_000);
  private final ScheduledExecutorService retryTimer;
  private final AtomicInteger held = new AtomicInteger();
  private final DeviceStatusBoard status;

  public Ingest(EventSink sink, Counters counters, ScheduledExecutorService retryTimer) {
    this(sink, counters, retryTimer, DeviceStatusBoard.NONE);
  }

  public Ingest(EventSink sink, Counters counters, ScheduledExecutorService retryTimer, DeviceStatusBoard status) {
    this.sink = sink;
    this.counters = counters;
    this.retryTimer = retryTimer;
    this.status = status;
  }

  /** A session of a known device opened from {@code peer} (its address). */
  public void connected(String deviceId, String peer) {
    status.connected(deviceId, peer);
  }

  /** A session of a known device closed. */
  public void disconnected(String deviceId) {
    status.disconnected(deviceId, true);
  }

  /** A polled device answered, at {@code peer} (its link and unit). */
  public void answered(String deviceId, String peer) {
    status.heard(deviceId, peer);
  }

  /** A polled device stopped answering; it reads offline until it answers again. */
  public void lost(String deviceId) {
    status.disconnected(deviceId, false);
  }

  /**
   * A known device's login or message was refused before decoding (bad credentials, a topic
   * outside its own); the source counts it under its own name, this records it as the device's
   * latest rejection.
   */
  public void refused(String deviceId, String reason) {
    status.rejected(deviceId, reason);
  }

  /**
   * Decodes and hands over one message from a known device. With a {@code receipt} (an
   * at-least-once message) overload is retried as described above, and a retransmission of a
   * message already committed is recognised by the pipeline; the stage completes when the message
   * may be acknowledged.
   *
   * @param bytes the payload size, refused above {@code maxBytes} without decoding
   */
  public CompletionStage<Void> receive(String deviceId, long bytes, long maxBytes, Decoding decoding, Receipt receipt) {
    counters.increment("received", deviceId, null);
    status.received(deviceId);
    if (bytes > maxBytes) {
      return reject(deviceId, "", "oversized_payload", bytes + " bytes > limit " + maxBytes);
    }
    List<DeviceEvent> events;
    try {
      events = decoding.decode();
    } catch (DecodeException e) {
      return reject(deviceId, e.field(), e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      return reject(deviceId, "", "decoder_error", e.getClass().getSimpleName());
    }
    CompletableFuture<Void> first = sink.accept(events, receipt).toCompletableFuture();
    if (first.isDone() && !first.isCompletedExceptionally()) {
      counters.increment("acknowledged", deviceId, null);
      return first;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    first.whenComplete((ok, error) -> {
      if (receipt == null && error != null && unwrap(error) instanceof OverloadedException) {
        counters.increment("dropped", deviceId, "overloaded");
        status.dropped(deviceId);
        done.complete(null);
      } else {
        retryOrFinish(deviceId, events, receipt, error, 10, done, false);
      }
    });
    return done;
  }

  /**
   * Hands over events a source read as state (a poll): counted like a message; on overload the
   * stage fails at once ({@code held}), and the source sends the state again on its next read.
   */
  public CompletionStage<Void> deliver(String deviceId, List<DeviceEvent> events) {
    counters.increment("received", deviceId, null);
    status.received(deviceId);
    CompletionStage<Void> accepted;
    try {
      accepted = sink.accept(events, null);
    } catch (RuntimeException e) {
      accepted = CompletableFuture.failedFuture(e);
    }
    return accepted.whenComplete((ok, error) -> {
      if (error == null) {
        counters.increment("acknowledged", deviceId, null);
      } else {
        counters.increment("held", deviceId, unwrap(error) instanceof OverloadedException ? "overloaded" : "sink_error");
        heldEvents(deviceId, events);
      }
    });
  }

  private void retryOrFinish(String deviceId, List<DeviceEvent> events, Receipt receipt, Throwable error, long delayMs,
      CompletableFuture<Void> done, boolean holding) {
    if (error == null || !(unwrap(error) instanceof OverloadedException)) {
      if (holding) {
        held.decrementAndGet();
      }
      if (error == null) {
        counters.increment("acknowledged", deviceId, null);
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
    counters.increment("held", deviceId, "overloaded");
    if (!holding) {
      heldEvents(deviceId, events);
    }
    retryTimer.schedule(() -> sink.accept(events, receipt).whenComplete((ok, again) ->
        retryOrFinish(deviceId, events, receipt, again, Math.min(delayMs * 2, 1000), done, true)),
        delayMs, TimeUnit.MILLISECONDS);
  }

  private void heldEvents(String deviceId, List<DeviceEvent> events) {
    status.held(deviceId);
    events.forEach(e -> status.event(e, Outcome.HELD));
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** Counts and logs a message above the size limit that the source did not even read. */
  public void oversized(String deviceId, long bytes, long maxBytes) {
    counters.increment("received", deviceId, null);
    status.received(deviceId);
    reject(deviceId, "", "oversized_payload", bytes + " bytes > limit " + maxBytes);
  }

  /** Counts a message from a sender the gateway does not know (the id is the sender's claim). */
  public void unknownDevice(String claimedId, String where) {
    counters.increment("rejected", claimedId, "unknown_device");
    rejectLog.log(Level.WARNING, "unknown|" + Untrusted.label(claimedId),
        "Rejected message from unknown device device=" + Untrusted.label(claimedId) + " at=" + Untrusted.label(where));
  }

  private CompletionStage<Void> reject(String deviceId, String field, String reason, String detail) {
    counters.increment("rejected", deviceId, reason);
    status.rejected(deviceId, reason);
    rejectLog.log(Level.WARNING, deviceId + '|' + reason,
        "Rejected payload device=" + deviceId + " field=" + (field.isEmpty() ? "-" : field)
            + " reason=" + reason + " detail=\"" + detail + "\"");
    return DONE;
  }
}
