package io.commguard.gateway.outbox;

import io.commguard.gateway.model.AlertDraft;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.IntConsumer;

/**
 * The outbox as a northbound link sees it: committed alerts to fetch, acknowledge or give back, and
 * the link's own fault alerts to store. Thread-safe; no call blocks.
 */
public interface Outbox {
  /**
   * The next undelivered rows not already in flight, most urgent priority first, then oldest; they
   * become in flight until {@link #markDelivered} or {@link #release}.
   */
  CompletionStage<List<OutboxRow>> nextBatch(int maxRows);

  /** Acknowledged rows leave the outbox. Unknown sequences are ignored. */
  CompletionStage<Void> markDelivered(Collection<Long> sequences);

  /** In-flight rows that were not acknowledged become eligible for {@link #nextBatch} again. */
  void release(Collection<Long> sequences);

  /** Every in-flight row becomes eligible again (the link's connection was lost). */
  void releaseAll();

  /** Called after each commit with the most urgent priority (1..4) committed; must not block. */
  void setCommitListener(IntConsumer listener);

  /** Stores alerts of the link itself (e.g. "not delivering"); refused when the queue is full. */
  CompletionStage<Void> append(List<AlertDraft> alerts);
}
