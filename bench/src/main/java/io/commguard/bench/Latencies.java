package io.commguard.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * Send times of tagged messages and the end-to-end latencies of those that arrived, in
 * microseconds (HdrHistogram, 3 significant digits). Send and arrival are stamped with {@link
 * System#nanoTime()} in this JVM, so no clock synchronisation is involved.
 */
final class Latencies {
  private final ConcurrentHashMap<Long, Long> sentAt = new ConcurrentHashMap<>();
  private final Histogram histogram = new Histogram(60_000_000L, 3);
  private volatile boolean recording = true;

  void sent(long tag, long nanos) {
    sentAt.put(tag, nanos);
  }

  /** Records the arrival of {@code tag}; returns false when it was unknown or already seen. */
  boolean arrived(long tag, long nanos) {
    Long sent = sentAt.remove(tag);
    if (sent == null) {
      return false;
    }
    if (recording) {
      synchronized (histogram) {
        histogram.recordValue(Math.max(0, Math.min((nanos - sent) / 1000, 60_000_000L)));
      }
    }
    return true;
  }

  /** Tagged messages sent and not (yet) arrived. */
  int outstanding() {
    return sentAt.size();
  }

  /** Forgets everything recorded so far (end of warm-up). */
  void reset() {
    synchronized (histogram) {
      histogram.reset();
    }
  }

  long count() {
    synchronized (histogram) {
      return histogram.getTotalCount();
    }
  }

  /** p50, p99, p99.9 and max in milliseconds. */
  Map<String, Object> summaryMs() {
    synchronized (histogram) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("samples", histogram.getTotalCount());
      if (histogram.getTotalCount() == 0) {
        return m;
      }
      m.put("p50_ms", ms(histogram.getValueAtPercentile(50)));
      m.put("p90_ms", ms(histogram.getValueAtPercentile(90)));
      m.put("p99_ms", ms(histogram.getValueAtPercentile(99)));
      m.put("p999_ms", ms(histogram.getValueAtPercentile(99.9)));
      m.put("max_ms", ms(histogram.getMaxValue()));
      m.put("mean_ms", Math.round(histogram.getMean()) / 1000.0);
      return m;
    }
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }
}
