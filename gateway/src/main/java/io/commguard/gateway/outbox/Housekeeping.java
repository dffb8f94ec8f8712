package io.commguard.gateway.outbox;

import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.AlertDraft;
import java.lang.System.Logger.Level;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The writer's periodic work between tasks (at least every 0.5 s): the eviction summary when due,
 * and once a minute the eviction of rows older than {@code maxAgeHours} and the purge of history
 * older than {@code historyDays}. Writer thread only.
 */
final class Housekeeping {
  private static final long AGE_AND_HISTORY_EVERY_MS = 60_000;

  private final OutboxFile db;
  private final Eviction eviction;
  private final EvictionSummary summary;
  private final long maxAgeMs;
  private final long historyMs;
  private final Clock clock;
  private final List<AlertDraft> ownAlerts;
  private final RateLimitedLog log;
  private long lastAgeAndHistoryMs;

  Housekeeping(OutboxFile db, Eviction eviction, EvictionSummary summary, int maxAgeHours, int historyDays,
      Clock clock, List<AlertDraft> ownAlerts, RateLimitedLog log) {
    this.db = db;
    this.eviction = eviction;
    this.summary = summary;
    this.maxAgeMs = TimeUnit.HOURS.toMillis(maxAgeHours);
    this.historyMs = TimeUnit.DAYS.toMillis(historyDays);
    this.clock = clock;
    this.ownAlerts = ownAlerts;
    this.log = log;
  }

  void run() {
    long now = clock.millis();
    AlertDraft due = summary.due();
    if (due != null) {
      ownAlerts.add(due);
    }
    if (now - lastAgeAndHistoryMs < AGE_AND_HISTORY_EVERY_MS) {
      return;
    }
    lastAgeAndHistoryMs = now;
    try {
      eviction.evictOlderThan(now - maxAgeMs);
      try (PreparedStatement ps = db.conn.prepareStatement("DELETE FROM history WHERE delivered_ms < ?")) {
        ps.setLong(1, now - historyMs);
        ps.executeUpdate();
      }
      db.conn.commit();
    } catch (SQLException e) {
      db.rollbackQuietly();
      log.log(Level.WARNING, "housekeeping", "Outbox housekeeping failed. reason=" + e.getMessage());
    }
  }
}
