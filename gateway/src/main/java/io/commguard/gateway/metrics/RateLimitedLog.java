package io.commguard.gateway.metrics;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs at most one line per key (e.g. device + reason) per interval and says how many were
 * suppressed in between, so a misbehaving device cannot flood the log.
 */
public final class RateLimitedLog {
  private final Logger logger;
  private final long intervalNanos;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    volatile long lastLoggedAt = Long.MIN_VALUE;
    final AtomicLong suppressed = new AtomicLong();
  }

  public RateLimitedLog(Logger logger, long intervalMillis) {
    this.logger = logger;
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  public void log(Level level, String key, String message) {
    Window w = windows.computeIfAbsent(key, k -> new Window());
    long now = System.nanoTime();
    synchronized (w) {
      if (w.lastLoggedAt != Long.MIN_VALUE && now - w.lastLoggedAt < intervalNanos) {
        w.suppressed.incrementAndGet();
        return;
      }
      w.lastLoggedAt = now;
    }
    long skipped = w.suppressed.getAndSet(0);
    logger.log(level, skipped == 0 ? message : message + " suppressed_since_last=" + skipped);
  }
}
