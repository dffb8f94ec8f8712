package io.commguard.gateway.rule;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.rule.spec.DeadbandSpec;
import io.commguard.gateway.rule.spec.RulesSection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Deadband on telemetry: a reading event is forwarded (as a one-off TELEMETRY alert) when one of
 * its measurements moved by more than its band since it was last forwarded; otherwise it is held
 * back and folded into a heartbeat summary (last, min, max, mean, count per measurement) sent when
 * a measurement has been silent for its {@code maxSilence}.
 */
final class TelemetryFilter {
  private final Map<String, DeviceWindow> devices = new HashMap<>();
  private final Function<String, RulesSection> rulesOf;
  private final Supplier<String> ids;
  private final Counters counters;
  private final RuleStateStore store;

  private static final class DeviceWindow {
    DeviceRef device;
    final Map<String, Reading> readings = new LinkedHashMap<>();
  }

  private static final class Reading {
    double forwarded;
    Instant forwardedAt;
    String unit = "";
    double latest;
    double min;
    double max;
    double sum;
    int held;
  }

  TelemetryFilter(Function<String, RulesSection> rulesOf, Supplier<String> ids, Counters counters, RuleStateStore store) {
    this.rulesOf = rulesOf;
    this.ids = ids;
    this.counters = counters;
    this.store = store;
  }

  void accept(DeviceEvent e, Output out) {
    if (e.measurements().isEmpty()) {
      counters.increment("rule_telemetry_empty", e.deviceId(), e.type().name());
      return;
    }
    RulesSection rules = rulesOf.apply(e.deviceId());
    DeviceWindow w = devices.computeIfAbsent(e.deviceId(), id -> new DeviceWindow());
    w.device = e.device();
    boolean moved = false;
    for (Measurement m : e.measurements()) {
      if (!Double.isFinite(m.value())) {
        counters.increment("rule_telemetry_not_finite", e.deviceId(), m.name());
        continue;
      }
      Reading r = w.readings.get(m.name());
      if (r == null) {
        r = new Reading();
        w.readings.put(m.name(), r);
        moved = true;
      } else if (r.forwardedAt == null
          || Math.abs(m.value() - r.forwarded) > rules.deadbandFor(m.name()).band(r.forwarded)) {
        moved = true;
      }
      r.unit = m.unit();
      r.latest = m.value();
      r.min = r.held == 0 ? m.value() : Math.min(r.min, m.value());
      r.max = r.held == 0 ? m.value() : Math.max(r.max, m.value());
      r.sum = r.held == 0 ? m.value() : r.sum + m.value();
      r.held++;
    }
    if (moved) {
      if (out.offer(new AlertDraft(ids.get(), e.device(), EventKind.TELEMETRY, e.type(), e.level(), AlertState.RAISED,
          e.nativeCode(), e.deviceTime(), out.now(), e.measurements(), e.evidence(), e.attributes(),
          e.description()), rules.rateLimit())) {
        for (Measurement m : e.measurements()) {
          if (Double.isFinite(m.value())) {
            baseline(e.deviceId(), m.name(), w.readings.get(m.name()), m.value(), out.now());
          }
        }
        return;
      }
    }
    counters.increment("rule_telemetry_held", e.deviceId(), e.type().name());
    heartbeat(w, rules, out);
  }

  /** Sends the heartbeat summaries that are due. */
  void tick(Output out) {
    for (DeviceWindow w : devices.values()) {
      heartbeat(w, rulesOf.apply(w.device.deviceId()), out);
    }
  }

  private void heartbeat(DeviceWindow w, RulesSection rules, Output out) {
    boolean due = false;
    for (Map.Entry<String, Reading> e : w.readings.entrySet()) {
      Reading r = e.getValue();
      DeadbandSpec spec = rules.deadbandFor(e.getKey());
      if (r.held > 0 && (r.forwardedAt == null || !out.now().isBefore(r.forwardedAt.plus(spec.maxSilence())))) {
        due = true;
      }
    }
    if (!due) {
      return;
    }
    List<Measurement> ms = new ArrayList<>();
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("summary", "heartbeat");
    Instant since = out.now();
    for (Map.Entry<String, Reading> e : w.readings.entrySet()) {
      Reading r = e.getValue();
      if (r.held == 0) {
        continue;
      }
      String n = e.getKey();
      ms.add(new Measurement(n, r.latest, r.unit));
      ms.add(new Measurement(n + ".min", r.min, r.unit));
      ms.add(new Measurement(n + ".max", r.max, r.unit));
      ms.add(new Measurement(n + ".mean", r.sum / r.held, r.unit));
      attributes.put("samples." + n, Integer.toString(r.held));
      if (r.forwardedAt != null && r.forwardedAt.isBefore(since)) {
        since = r.forwardedAt;
      }
    }
    AlertDraft summary = new AlertDraft(ids.get(), w.device, EventKind.TELEMETRY, CanonicalType.READING,
        CanonicalType.READING.defaultLevel(), AlertState.RAISED, "heartbeat", since, out.now(), ms, List.of(),
        attributes, "Readings summary since last report");
    if (out.offer(summary, rules.rateLimit())) {
      for (Map.Entry<String, Reading> e : w.readings.entrySet()) {
        if (e.getValue().held > 0) {
          baseline(w.device.deviceId(), e.getKey(), e.getValue(), e.getValue().latest, out.now());
        }
      }
    }
  }

  private void baseline(String deviceId, String measurement, Reading r, double value, Instant now) {
    r.forwarded = value;
    r.forwardedAt = now;
    r.held = 0;
    store.put(storageKey(deviceId, measurement),
        StateCodec.write(new StateCodec.DeadbandState(value, now.toEpochMilli())));
  }

  void restore(String key, String json, DeviceRef device) {
    String[] parts = key.split("/", 3);
    StateCodec.DeadbandState s = StateCodec.read(json, StateCodec.DeadbandState.class);
    DeviceWindow w = devices.computeIfAbsent(parts[1], id -> new DeviceWindow());
    w.device = device;
    Reading r = new Reading();
    r.forwarded = s.value();
    r.latest = s.value();
    r.forwardedAt = Instant.ofEpochMilli(s.forwardedAtMs());
    w.readings.put(parts[2], r);
  }

  static boolean owns(String key) {
    return key.startsWith("deadband/");
  }

  static String deviceOf(String key) {
    return key.split("/", 3)[1];
  }

  private static String storageKey(String deviceId, String measurement) {
    return "deadband/" + deviceId + "/" + measurement;
  }
}
