package io.commguard.gateway.source.modbus;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;

/**
 * Logs a line per key (device + reason) at most once per period and says how many were held back
 * in between, so a dead device on a 1 s poll does not flood the log. Not thread-safe: used from
 * the poller thread only.
 */
final class RateLimitedLog {
  private static final long PERIOD_NANOS = 60_000_000_000L;

  private final Logger logger;
  private final Map<String, long[]> state = new HashMap<>(); // key -> {lastLoggedNanos, suppressed}

  RateLimitedLog(Logger logger) {
    this.logger = logger;
  }

  void log(Level level, String key, String message) {
    long now = System.nanoTime();
    long[] s = state.get(key);
    if (s == null) {
      state.put(key, new long[] {now, 0});
      logger.log(level, message);
    } else if (now - s[0] >= PERIOD_NANOS) {
      logger.log(level, message + (s[1] > 0 ? " suppressed=" + s[1] : ""));
      s[0] = now;
      s[1] = 0;
    } else {
      s[1]++;
    }
  }
}
