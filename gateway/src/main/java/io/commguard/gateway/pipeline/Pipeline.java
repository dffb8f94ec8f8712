package io.commguard.gateway.pipeline;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.DeviceEvent;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rules then outbox. Rule evaluation is serialised with a lock (it is pure CPU work measured in
 * microseconds); the durable append happens on the outbox's own thread.
 *
 * <p><b>Overload policy:</b> alerts the rules decided are never dropped — if the outbox refuses
 * them they are held and retried until committed. Admission control keeps that bounded: while
 * {@value #MAX_HELD_ALERTS} or more alerts are held, new events are refused <em>before</em> the
 * rules see them ({@link OverloadedException}, counted as {@code events_refused}), so the source
 * can withhold its acknowledgement and a retransmission is evaluated as if for the first time.
 */
public final class Pipeline implements EventSink {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final RuleStage rules;
  private final AlertStore store;
  private final Counters counters;
  private static final int MAX_HELD_ALERTS = 50_000;
  private final AtomicInteger held = new AtomicInteger();

  public Pipeline(RuleStage rules, AlertStore store, Counters counters) {
    this.rules = rules;
    this.store = store;
    this.counters = counters;
  }

  @Override
  public CompletionStage<Void> accept(DeviceEvent event) {
    if (held.get() >= MAX_HELD_ALERTS) {
      counters.increment("events_refused", event.deviceId(), "alerts_held");
      return CompletableFuture.failedFuture(new OverloadedException("pipeline holds " + held.get() + " uncommitted alerts"));
    }
    counters.increment("events_in");
    synchronized (this) {
      return appendAll(rules.evaluate(event));
    }
  }

  /** Runs time-driven rules; called by a periodic timer. */
  public CompletionStage<Void> tick(Instant now) {
    synchronized (this) {
      return appendAll(rules.tick(now));
    }
  }

  private CompletionStage<Void> appendAll(List<AlertDraft> alerts) {
    if (alerts.isEmpty()) {
      return DONE;
    }
    counters.add("alerts_out", alerts.size());
    // Called under the lock so alerts reach the outbox in the order the rules decided them; both
    // calls only enqueue. Rule state first, then the outbox: a failed state write is logged by the
    // rules and must not hold back the alarm itself. Once the outbox has them, the rules may drop
    // what they kept in case it did not (tombstones of cleared episodes).
    return rules.flush().handle((ok, err) -> null)
        .thenCompose(v -> appendHolding(alerts, 10, false))
        .thenRun(() -> rules.committed(alerts));
  }

  /**
   * The rules have already moved on (an episode RAISED now would only be UPDATED if the event were
   * evaluated again), so alerts the outbox refuses for lack of room are held here and retried as
   * they are, with backoff from 10 ms to 1 s; the caller's acknowledgement (QoS 1 PUBACK) waits.
   */
  private CompletionStage<Void> appendHolding(List<AlertDraft> alerts, long delayMs, boolean holding) {
    int n = alerts.size();
    return store.append(alerts).handle((ok, error) -> {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (error == null || !(cause instanceof OverloadedException)) {
        if (holding) {
          held.addAndGet(-n);
        }
        return error == null ? DONE : CompletableFuture.<Void>failedFuture(cause);
      }
      if (!holding) {
        held.addAndGet(n);
        counters.add("alerts_held", n);
      }
      return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS))
          .thenCompose(v -> appendHolding(alerts, Math.min(delayMs * 2, 1000), true));
    }).thenCompose(stage -> stage);
  }
}
