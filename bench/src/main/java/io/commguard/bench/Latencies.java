package io.commguard.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * Send times of tagged messages and the end-to-end latencies of those that arrived, in
 * microseconds (HdrHistogram, 3 significant digits). Send and arrival are stamped with {@link
 * System#nanoTime()} in this JVM, so no clock synchronisation is involved.
 *
 * <p>A message sent inside a marked span ({@link #markFrom}, {@link #markTo}) is recorded apart
 * ({@link #markedSummaryMs}): the latency of what was sent while something else went on.
 */
final class Latencies {
  private final ConcurrentHashMap<Long, Long> sentAt = new ConcurrentHashMap<>();
  private final Histogram histogram = new Histogram(60_000_000L, 3);
  private final Histogram marked = new Histogram(60_000_000L, 3);
  private volatile boolean recording = true;
  private volatile long markFrom = Long.MAX_VALUE;
  private volatile long markTo = Long.MAX_VALUE;

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
      long micros = Math.max(0, Math.min((nanos - sent) / 1000, 60_000_000L));
      boolean inMark = sent >= markFrom && sent <= markTo;
      synchronized (histogram) {
        (inMark ? marked : histogram).recordValue(micros);
      }
    }
    return true;
  }

  /** Tagged messages sent and not (yet) arrived. */
  int outstanding() {
    return sentAt.size();
  }

  /** Messages sent from now on are recorded apart, until {@link #markTo}. */
  void markFrom(long nanos) {
    markTo = Long.MAX_VALUE;
    markFrom = nanos;
  }

  /** Messages sent after {@code nanos} are recorded with the others again. */
  void markTo(long nanos) {
    markTo = nanos;
  }

  /** Forgets everything recorded so far (end of warm-up). */
  void reset() {
    synchronized (histogram) {
      histogram.reset();
      marked.reset();
    }
  }

  long count() {
    synchronized (histogram) {
      return histogram.getTotalCount();
    }
  }

  /** p50, p99, p99.9 and max in milliseconds (outside the marked span, if any). */
  Map<String, Object> summaryMs() {
    return summaryMs(histogram);
  }

  /** As {@link #summaryMs()}, of the messages sent inside the marked span. */
  Map<String, Object> markedSummaryMs() {
    return summaryMs(marked);
  }

  private Map<String, Object> summaryMs(Histogram histogram) {
    synchronized (this.histogram) {
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
