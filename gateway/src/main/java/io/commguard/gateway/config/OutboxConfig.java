package io.commguard.gateway.config;

/**
 * The SQLite outbox. See docs/delivery.md for the semantics of every bound.
 *
 * @param groupCommitMaxWaitMs longest an append waits for others to share its commit
 * @param groupCommitMaxRows most rows in one commit
 * @param queueCapacity bounded queue of alerts waiting for the writer; when full, appends are
 *     refused (QoS 1 devices retransmit)
 * @param maxBytes bound on the encoded size of undelivered alerts; above it telemetry, summaries,
 *     then level 4 and level 3 alerts are evicted, oldest first (level 1 and 2 never)
 * @param maxAgeHours undelivered evictable rows (as above) older than this are evicted
 * @param historyDays delivered alerts are kept (without payload) this long for audit
 * @param summaryIntervalMs at most one eviction summary alert is sent upstream per interval
 * @param synchronous SQLite {@code synchronous} pragma: {@code FULL} (default) so an appended
 *     alarm survives power loss, or {@code NORMAL}
 */
public record OutboxConfig(
    Integer groupCommitMaxWaitMs,
    Integer groupCommitMaxRows,
    Integer queueCapacity,
    Long maxBytes,
    Integer maxAgeHours,
    Integer historyDays,
    Integer summaryIntervalMs,
    Synchronous synchronous) {
  public static final OutboxConfig DEFAULTS = new OutboxConfig(null, null, null, null, null, null, null, null);

  public enum Synchronous { FULL, NORMAL }

  public OutboxConfig {
    groupCommitMaxWaitMs = groupCommitMaxWaitMs == null ? 3 : groupCommitMaxWaitMs;
    groupCommitMaxRows = groupCommitMaxRows == null ? 1000 : groupCommitMaxRows;
    queueCapacity = queueCapacity == null ? 20_000 : queueCapacity;
    maxBytes = maxBytes == null ? 1L << 30 : maxBytes;
    maxAgeHours = maxAgeHours == null ? 7 * 24 : maxAgeHours;
    historyDays = historyDays == null ? 30 : historyDays;
    summaryIntervalMs = summaryIntervalMs == null ? 60_000 : summaryIntervalMs;
    synchronous = synchronous == null ? Synchronous.FULL : synchronous;
  }
}
