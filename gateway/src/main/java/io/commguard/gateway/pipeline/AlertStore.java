package io.commguard.gateway.pipeline;

import java.util.concurrent.CompletionStage;

/** The durable side of the pipeline: the outbox seen from the rules. Thread-safe. */
public interface AlertStore {
  /**
   * Queues a decision for an atomic commit, after every decision queued before it. The stage
   * completes after the commit (fsync). A decision is never refused once queued (the rules have
   * moved on): while storage is full it waits, and so do the decisions behind it. Callers check
   * {@link #hasRoom()} before deciding.
   */
  CompletionStage<Void> commit(Decision decision);

  /** False while the queue in front of the writer is at its bound: new events are to be refused. */
  boolean hasRoom();
}
