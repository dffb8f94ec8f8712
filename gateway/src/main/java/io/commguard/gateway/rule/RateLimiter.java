package io.commguard.gateway.rule;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.rule.spec.RateLimitSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One token bucket per device over the alerts it produces. Suppressed alerts are counted per
 * device and type ({@code rule_rate_limited}) and reported in one GATEWAY_SUMMARY alert per device
 * once {@code summaryInterval} has passed since the first suppression.
 */
final class RateLimiter {
  private final Map<String, Bucket> buckets = new HashMap<>();
  private final Counters counters;

  private static final class Bucket {
    double tokens;
    Instant refilledAt;
    DeviceRef device;
    Duration summaryInterval;
    Instant firstSuppressed;
    final Map<CanonicalType, Long> suppressed = new EnumMap<>(CanonicalType.class);
  }

  RateLimiter(Counters counters) {
    this.counters = counters;
  }

  boolean allow(DeviceRef device, RateLimitSpec spec, CanonicalType type, Instant now, boolean mandatory) {
    Bucket b = buckets.computeIfAbsent(device.deviceId(), id -> {
      Bucket nb = new Bucket();
      nb.tokens = spec.burst();
      nb.refilledAt = now;
      return nb;
    });
    b.device = device;
    b.summaryInterval = spec.summaryInterval();
    double elapsed = Math.max(0, Duration.between(b.refilledAt, now).toNanos() / 1e9);
    b.tokens = Math.min(spec.burst(), b.tokens + elapsed * spec.eventsPerSecond());
    b.refilledAt = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    if (mandatory) {
      return true;
    }
    counters.increment("rule_rate_limited", device.deviceId(), type.name());
    if (b.firstSuppressed == null) {
      b.firstSuppressed = now;
    }
    b.suppressed.merge(type, 1L, Long::sum);
    return false;
  }

  /** One summary per device whose suppression window has run its interval. */
  void summaries(Instant now, Supplier<String> ids, Output out) {
    for (Bucket b : buckets.values()) {
      if (b.firstSuppressed == null || now.isBefore(b.firstSuppressed.plus(b.summaryInterval))) {
        continue;
      }
      long total = 0;
      Map<String, String> attributes = new TreeMap<>();
      for (Map.Entry<CanonicalType, Long> e : b.suppressed.entrySet()) {
        attributes.put("suppressed." + e.getKey().name(), Long.toString(e.getValue()));
        total += e.getValue();
      }
      attributes.put("suppressed", Long.toString(total));
      attributes.put("summary", "rate_limited");
      attributes.put("windowStart", b.firstSuppressed.toString());
      out.notice(new AlertDraft(ids.get(), b.device, EventKind.STATUS, CanonicalType.GATEWAY_SUMMARY,
          CanonicalType.GATEWAY_SUMMARY.defaultLevel(), AlertState.RAISED, "rate_limited", b.firstSuppressed, now,
          List.of(), List.of(), attributes,
          "Rate limit suppressed " + total + " alerts from this device"));
      b.firstSuppressed = null;
      b.suppressed.clear();
    }
  }
}
