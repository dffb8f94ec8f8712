package io.commguard.gateway.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The gateway's figures in the Prometheus text format: every {@link Counters} series as
 * {@code commguard_<name>_total{device,reason}}, gauges the stages register, and the JVM's and the
 * process's own figures (heap, GC, threads, CPU, open files, uptime).
 *
 * <p>Counter series appear while the gateway runs (a device's first rejection), so they are
 * registered at scrape time. Their number is bounded by {@link Counters#MAX_SERIES} and their label
 * values are escaped by {@link Untrusted#label}, so a hostile peer can neither flood nor forge a
 * series. Every counter carries both labels ({@code ""} when unset) because a Prometheus metric
 * must have one label set across its series. Gauges and histograms carry only labels from small
 * fixed sets (a priority 1..4, a level 1..4), never a peer's text.
 *
 * <p>Thread-safe. A scrape runs the registered refreshers first (one at a time), so gauges fed by
 * a database read are read once per scrape, not once per series.
 */
public final class PrometheusMetrics implements AutoCloseable {
  static final String PREFIX = "commguard.";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counters counters;
  private final Set<LongAdder> exported = ConcurrentHashMap.newKeySet();
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final List<Runnable> refreshers = new CopyOnWriteArrayList<>();

  public PrometheusMetrics(Counters counters) {
    this.counters = counters;
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** A gauge read at scrape time ({@code commguard_<name>}); {@code value} must be cheap and thread-safe. */
  public void gauge(String name, String help, Supplier<Number> value) {
    Gauge.builder(PREFIX + name, value).description(help).register(registry);
  }

  /** A gauge with one label from a small fixed set, e.g. {@code commguard_outbox_pending{priority="1"}}. */
  public void gauge(String name, String help, String label, String labelValue, Supplier<Number> value) {
    Gauge.builder(PREFIX + name, value).description(help).tag(label, labelValue).register(registry);
  }

  /**
   * A histogram of durations, exported in seconds as {@code commguard_<name>_seconds_bucket{le=...}},
   * {@code _count}, {@code _sum} and {@code _max}, with exactly the given bucket bounds.
   */
  public LatencyRecorder histogram(String name, String help, Duration... buckets) {
    Timer timer = Timer.builder(PREFIX + name).description(help).serviceLevelObjectives(buckets).register(registry);
    return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Runs before every scrape, on the scraping thread (a worker, never an event loop); may block
   * briefly, e.g. to read figures from a database for the gauges it feeds.
   */
  public void beforeScrape(Runnable refresh) {
    refreshers.add(refresh);
  }

  /** The text a Prometheus server scrapes. Takes milliseconds with many series: call off the event loop. */
  public synchronized String scrape() {
    refreshers.forEach(Runnable::run);
    counters.forEachSeries(this::export);
    return registry.scrape();
  }

  private void export(String name, String deviceId, String reason, LongAdder value) {
    if (exported.add(value)) {
      FunctionCounter.builder(PREFIX + name, value, LongAdder::sum)
          .tag("device", deviceId == null ? "" : deviceId)
          .tag("reason", reason == null ? "" : reason)
          .register(registry);
    }
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
