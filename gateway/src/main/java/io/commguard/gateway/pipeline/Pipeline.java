package io.commguard.gateway.pipeline;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.DeviceEvent;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Rules then outbox. Rule evaluation is serialised with a lock (it is pure CPU work measured in
 * microseconds); the durable append happens outside the lock on the outbox's own thread.
 */
public final class Pipeline implements EventSink {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final RuleStage rules;
  private final AlertStore store;
  private final Counters counters;

  public Pipeline(RuleStage rules, AlertStore store, Counters counters) {
    this.rules = rules;
    this.store = store;
    this.counters = counters;
  }

  @Override
  public CompletionStage<Void> accept(DeviceEvent event) {
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
    // rules and must not hold back the alarm itself.
    return rules.flush().handle((ok, err) -> null).thenCompose(v -> store.append(alerts));
  }
}
