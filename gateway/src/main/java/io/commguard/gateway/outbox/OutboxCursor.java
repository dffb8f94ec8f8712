package io.commguard.gateway.outbox;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.IntConsumer;

/**
 * One northbound's place in the outbox: what it has not yet delivered and what it has in flight.
 * Cursors of different northbounds never see each other's state. Thread-safe; no call blocks.
 */
public interface OutboxCursor {
  /**
   * The next rows this northbound has not delivered and has not in flight, most urgent priority
   * first, then oldest; they become in flight until {@link #markDelivered} or {@link #release}.
   */
  default CompletionStage<List<OutboxRow>> nextBatch(int maxRows) {
    return nextBatch(maxRows, 0);
  }

  /**
   * As {@link #nextBatch(int)}, but up to {@code oldestRows} of the rows are the oldest ones
   * whatever their priority: a share that a steady stream of urgent alerts cannot take from the
   * others. A device's rows still come in their order.
   */
  CompletionStage<List<OutboxRow>> nextBatch(int maxRows, int oldestRows);

  /**
   * This northbound delivered these rows; each leaves the outbox (to its history) once every
   * northbound has. Unknown sequences are ignored.
   */
  CompletionStage<Void> markDelivered(Collection<Long> sequences);

  /** In-flight rows that were not acknowledged become eligible for {@link #nextBatch} again. */
  void release(Collection<Long> sequences);

  /** Every row in flight for this northbound becomes eligible again (its connection was lost). */
  void releaseAll();

  /** Called after each commit with the most urgent priority (1..4) committed; must not block. */
  void setCommitListener(IntConsumer listener);
}
