package io.commguard.gateway.outbox;

import io.commguard.gateway.model.AlertDraft;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The outbox as the northbounds see it: one {@link OutboxCursor} per northbound, each with its own
 * delivered and in-flight state, and the links' own fault alerts to store. A committed alert
 * leaves the outbox once every northbound the outbox was started with has it delivered.
 * Thread-safe; no call blocks.
 */
public interface Outbox {
  /**
   * The delivery state of the northbound {@code consumer}.
   *
   * @throws IllegalArgumentException when the outbox was not started with that consumer
   */
  OutboxCursor cursor(String consumer);

  /** Stores alerts of a link itself (e.g. "not delivering"); refused when the queue is full. */
  CompletionStage<Void> append(List<AlertDraft> alerts);
}
