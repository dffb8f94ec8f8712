package io.commguard.gateway.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * must have one label set across its series.
 */
public final class PrometheusMetrics implements AutoCloseable {
  static final String PREFIX = "commguard.";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counters counters;
  private final Set<LongAdder> exported = ConcurrentHashMap.newKeySet();
  private final JvmGcMetrics gc = new JvmGcMetrics();

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

  /** The text a Prometheus server scrapes. Takes milliseconds with many series: call off the event loop. */
  public String scrape() {
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
