package io.commguard.gateway.config;

/**
 * The SQLite outbox.
 *
 * @param groupCommitMaxWaitMs longest an append waits for others to share its commit
 * @param groupCommitMaxRows most rows in one commit
 * @param queueCapacity bounded queue of appends waiting for the writer; when full, appends are
 *     refused (QoS 1 devices retransmit)
 */
public record OutboxConfig(Integer groupCommitMaxWaitMs, Integer groupCommitMaxRows, Integer queueCapacity) {
  public static final OutboxConfig DEFAULTS = new OutboxConfig(null, null, null);

  public OutboxConfig {
    groupCommitMaxWaitMs = groupCommitMaxWaitMs == null ? 3 : groupCommitMaxWaitMs;
    groupCommitMaxRows = groupCommitMaxRows == null ? 1000 : groupCommitMaxRows;
    queueCapacity = queueCapacity == null ? 20_000 : queueCapacity;
  }
}
