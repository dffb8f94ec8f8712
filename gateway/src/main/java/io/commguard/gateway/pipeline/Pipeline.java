package io.commguard.gateway.pipeline;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.LatencyRecorder;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.DeviceEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Rules then outbox. Rule evaluation is serialised with a lock (it is pure CPU work measured in
 * microseconds); each call's alerts and rule-state changes become one {@link Decision}, queued to
 * the outbox under the same lock so decisions are committed in the order they were taken, each
 * atomically (see docs/rules.md, "Persistence").
 *
 * <p><b>Overload policy:</b> a decision, once taken, is never dropped or refused (the rules have
 * moved on). Admission control keeps the queue bounded instead: while the outbox has no room, new
 * events are refused <em>before</em> the rules see them ({@link OverloadedException}, counted as
 * {@code events_refused}), so the source withholds its acknowledgement and the retransmission is
 * evaluated as if for the first time.
 */
public final class Pipeline implements EventSink {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final RuleStage rules;
  private final AlertStore store;
  private final Counters counters;
  private final ReceiptBook receipts;
  private final LatencyRecorder ingestToCommit;

  /** A pipeline over a store with no committed receipts. */
  public Pipeline(RuleStage rules, AlertStore store, Counters counters) {
    this(rules, store, counters, Map.of());
  }

  /**
   * @param committedReceipts identities of each device's recent publishes committed before a
   *     restart, oldest first (loaded from the outbox)
   */
  public Pipeline(RuleStage rules, AlertStore store, Counters counters, Map<String, List<String>> committedReceipts) {
    this(rules, store, counters, committedReceipts, LatencyRecorder.NONE);
  }

  /**
   * @param ingestToCommit takes, for each accepted publish whose decision was written, the time from
   *     {@link #accept} to its durable commit (the time a device waits for its acknowledgement)
   */
  public Pipeline(RuleStage rules, AlertStore store, Counters counters, Map<String, List<String>> committedReceipts,
      LatencyRecorder ingestToCommit) {
    this.rules = rules;
    this.store = store;
    this.counters = counters;
    this.receipts = new ReceiptBook(committedReceipts);
    this.ingestToCommit = ingestToCommit;
  }

  @Override
  public CompletionStage<Void> accept(List<DeviceEvent> events, Receipt receipt) {
    if (events.isEmpty() && receipt == null) {
      return DONE;
    }
    String deviceId = receipt != null ? receipt.deviceId() : events.get(0).deviceId();
    long acceptedAt = System.nanoTime();
    synchronized (this) {
      if (receipt != null && receipt.duplicate()) {
        CompletableFuture<Void> first = receipts.find(receipt);
        if (first != null) {
          counters.increment("publishes_retransmitted", deviceId, first.isDone() ? "committed" : "committing");
          return first;
        }
      }
      if (!store.hasRoom()) {
        counters.increment("events_refused", deviceId, "queue_full");
        return CompletableFuture.failedFuture(new OverloadedException("outbox queue full"));
      }
      counters.add("events_in", events.size());
      List<AlertDraft> alerts = new ArrayList<>();
      for (DeviceEvent e : events) {
        alerts.addAll(rules.evaluate(e));
      }
      CompletableFuture<Void> commit = commit(alerts, receipt);
      if (receipt != null) {
        receipts.track(receipt, commit);
      }
      if (commit != DONE) {
        commit.thenRun(() -> ingestToCommit.recordNanos(System.nanoTime() - acceptedAt));
      }
      return commit;
    }
  }

  /** Runs time-driven rules; called by a periodic timer. Never refused: its decisions are bounded by the rule state. */
  public CompletionStage<Void> tick(Instant now) {
    synchronized (this) {
      return commit(rules.tick(now), null);
    }
  }

  /**
   * A decision that changes nothing durable is not written: re-deciding its retransmission after a
   * crash starts from the same durable state. Its receipt is remembered in memory only.
   */
  private CompletableFuture<Void> commit(List<AlertDraft> alerts, Receipt receipt) {
    StateChanges state = rules.drainChanges();
    if (alerts.isEmpty() && state.isEmpty()) {
      state.settle(DONE);
      return DONE;
    }
    Decision d = new Decision(alerts, state, receipt);
    counters.add("alerts_out", alerts.size());
    CompletableFuture<Void> commit = store.commit(d).toCompletableFuture();
    state.settle(commit);
    return commit;
  }
}
