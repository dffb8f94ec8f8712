package io.commguard.gateway;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.wire.StatusMessage;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The heartbeat to the city: a {@code GatewayStatus} every {@code uplink.statusIntervalMs}, and at
 * once when device state counts, a source's up/down or the uplink's state change (checked every
 * {@value #CHECK_MS} ms from cheap figures; the outbox is read only when a status goes out). A
 * status is not stored: while the uplink is down none is sent, and the first one after it is back
 * goes out at once (the uplink's state changed).
 *
 * <p>Threading: its own thread ({@code status}); reading the outbox figures waits for the outbox
 * writer (bounded), publishing hands the bytes to the uplink and does not wait.
 */
final class GatewayHeartbeat implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(GatewayHeartbeat.class.getName());
  private static final RateLimitedLog FAILURES = new RateLimitedLog(LOG, 60_000);
  static final long CHECK_MS = 1_000;

  private final String gatewayId;
  private final String version;
  private final int intervalMs;
  private final Supplier<Object> changeKey;
  private final Supplier<StatusMessage.Figures> figures;
  private final BooleanSupplier connected;
  private final Function<byte[], CompletionStage<Void>> publish;
  private final Counters counters;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "status");
    t.setDaemon(true);
    return t;
  });
  private long lastSentNanos;
  private volatile Object lastKey;

  GatewayHeartbeat(String gatewayId, String version, int intervalMs, Supplier<Object> changeKey,
      Supplier<StatusMessage.Figures> figures, BooleanSupplier connected, Function<byte[], CompletionStage<Void>> publish,
      Counters counters) {
    this.gatewayId = gatewayId;
    this.version = version;
    this.intervalMs = intervalMs;
    this.changeKey = changeKey;
    this.figures = figures;
    this.connected = connected;
    this.publish = publish;
    this.counters = counters;
  }

  void start() {
    thread.scheduleWithFixedDelay(this::check, 0, Math.min(CHECK_MS, intervalMs), TimeUnit.MILLISECONDS);
  }

  private void check() {
    try {
      long now = System.nanoTime();
      Object key = changeKey.get();
      boolean due = lastKey == null || now - lastSentNanos >= TimeUnit.MILLISECONDS.toNanos(intervalMs)
          || !Objects.equals(key, lastKey);
      if (!due || !connected.getAsBoolean()) {
        return;
      }
      StatusMessage.Figures f = figures.get();
      byte[] status = StatusMessage.encode(gatewayId, version, System.currentTimeMillis(), intervalMs, f);
      lastSentNanos = now;
      lastKey = f.changeKey();
      publish.apply(status).whenComplete((ok, error) -> {
        if (error == null) {
          counters.increment("uplink_status_sent");
        } else {
          counters.increment("uplink_status_failed");
          lastKey = null; // not taken: try again at the next check
        }
      });
    } catch (RuntimeException e) {
      counters.increment("uplink_status_failed");
      FAILURES.log(Level.WARNING, "status", "Gateway status not sent; the next check tries again error=" + e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
