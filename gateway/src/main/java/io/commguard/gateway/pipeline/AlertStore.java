package io.commguard.gateway.pipeline;

import io.commguard.gateway.model.AlertDraft;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The durable side of the pipeline: the outbox seen from the rules. Thread-safe. */
public interface AlertStore {
  /**
   * Queues alerts for a durable commit. The stage completes after the commit (fsync) or
   * exceptionally with {@link OverloadedException} when the bounded queue is full.
   */
  CompletionStage<Void> append(List<AlertDraft> alerts);
}
