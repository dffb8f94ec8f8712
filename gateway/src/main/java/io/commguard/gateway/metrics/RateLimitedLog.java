package io.commguard.gateway.metrics;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs at most one line per key (e.g. device + reason) per interval and says how many were
 * suppressed in between, so a misbehaving device cannot flood the log.
 *
 * <p>Keys may be built from peer input, so at most {@link #MAX_KEYS} windows are kept: when full,
 * windows idle for an interval are dropped, and if that frees nothing, new keys share one overflow
 * window (one line per interval for all of them). Each line is escaped and cut to
 * {@link #MAX_LINE_CHARS} as a last line of defence; callers still pass peer text through
 * {@link Untrusted}.
 */
public final class RateLimitedLog {
  public static final int MAX_KEYS = 1_000;
  public static final int MAX_LINE_CHARS = 1_000;

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
    long now = System.nanoTime();
    Window w = window(key, now);
    synchronized (w) {
      if (w.lastLoggedAt != Long.MIN_VALUE && now - w.lastLoggedAt < intervalNanos) {
        w.suppressed.incrementAndGet();
        return;
      }
      w.lastLoggedAt = now;
    }
    long skipped = w.suppressed.getAndSet(0);
    logger.log(level, oneLine(skipped == 0 ? message : message + " suppressed_since_last=" + skipped));
  }

  /** Windows held now; bounded by {@link #MAX_KEYS} plus the overflow window. */
  public int keys() {
    return windows.size();
  }

  private Window window(String key, long now) {
    Window w = windows.get(key);
    if (w != null) {
      return w;
    }
    if (windows.size() >= MAX_KEYS) {
      windows.values().removeIf(old -> old.suppressed.get() == 0 && now - old.lastLoggedAt >= intervalNanos);
      if (windows.size() >= MAX_KEYS) {
        key = Untrusted.OVERFLOW;
      }
    }
    return windows.computeIfAbsent(key, k -> new Window());
  }

  private static String oneLine(String message) {
    StringBuilder out = new StringBuilder(Math.min(message.length(), MAX_LINE_CHARS) + 24);
    int i = 0;
    for (; i < message.length() && out.length() < MAX_LINE_CHARS; i++) {
      char c = message.charAt(i);
      if (c < 0x20 || c == 0x7f || c == 0x85) {
        out.append(String.format("\\x%02x", (int) c));
      } else if (c == 0x2028 || c == 0x2029) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (i < message.length()) {
      out.append("...(").append(message.length()).append(" chars)");
    }
    return out.toString();
  }
}
