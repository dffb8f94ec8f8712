package io.commguard.gateway.outbox;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.Measurement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Counts evictions (per device and reason) and turns them, at most once per interval, into one
 * {@code GATEWAY_SUMMARY} alert of the gateway with one attribute per reason. Writer thread only.
 */
final class EvictionSummary {
  private static final String CODE = "outbox_eviction_summary";

  private final String gatewayId;
  private final Counters counters;
  private final Clock clock;
  private final long intervalMs;
  private final Map<String, Long> sinceLast = new TreeMap<>();
  private long lastMs;

  EvictionSummary(String gatewayId, Counters counters, Clock clock, long intervalMs) {
    this.gatewayId = gatewayId;
    this.counters = counters;
    this.clock = clock;
    this.intervalMs = intervalMs;
    this.lastMs = clock.millis();
  }

  void count(String deviceId, String reason) {
    counters.increment("outbox_evicted", deviceId, reason);
    sinceLast.merge(reason, 1L, Long::sum);
  }

  /** The summary alert when evictions happened and the interval has passed; else null. */
  AlertDraft due() {
    long now = clock.millis();
    if (sinceLast.isEmpty() || now - lastMs < intervalMs) {
      return null;
    }
    long total = sinceLast.values().stream().mapToLong(Long::longValue).sum();
    Map<String, String> attrs = new TreeMap<>();
    sinceLast.forEach((reason, n) -> attrs.put("evicted." + reason, Long.toString(n)));
    sinceLast.clear();
    lastMs = now;
    return GatewayAlerts.of(gatewayId, "gw-evictions-" + gatewayId + "-" + UUID.randomUUID(),
        CanonicalType.GATEWAY_SUMMARY, 4, AlertState.RAISED, CODE, "Outbox evicted " + total
            + " alerts since the last summary", attrs, List.of(new Measurement("evicted", total, "alerts")),
        clock.instant());
  }

  /** True for this gateway's summary: never evicted itself, or it would vanish under the pressure it reports. */
  boolean isSummary(AlertDraft d) {
    return CODE.equals(d.nativeCode()) && d.device().deviceId().equals(gatewayId)
        && GatewayAlerts.PROFILE.equals(d.device().profileId());
  }
}
