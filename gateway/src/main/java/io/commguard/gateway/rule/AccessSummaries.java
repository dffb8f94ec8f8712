package io.commguard.gateway.rule;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.rule.spec.AccessSpec;
import io.commguard.gateway.rule.spec.RulesSection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * ACCESS events (card swipes, face matches): forwarded one by one, summarised as one count per
 * device, type and interval (the default), or only counted. Summaries carry no personal data.
 */
final class AccessSummaries {
  private final Map<String, Window> windows = new LinkedHashMap<>();
  private final Function<String, RulesSection> rulesOf;
  private final Supplier<String> ids;
  private final Counters counters;

  private static final class Window {
    DeviceRef device;
    DeviceEvent first;
    Instant start;
    long count;
  }

  AccessSummaries(Function<String, RulesSection> rulesOf, Supplier<String> ids, Counters counters) {
    this.rulesOf = rulesOf;
    this.ids = ids;
    this.counters = counters;
  }

  void accept(DeviceEvent e, Output out) {
    RulesSection rules = rulesOf.apply(e.deviceId());
    AccessSpec spec = rules.access();
    switch (spec.forward()) {
      case EACH -> out.offer(new AlertDraft(ids.get(), e.device(), EventKind.ACCESS, e.type(), e.level(),
          AlertState.RAISED, e.nativeCode(), e.deviceTime(), out.now(), e.measurements(), e.evidence(),
          e.attributes(), e.description()), rules.rateLimit());
      case SUMMARY -> {
        Window w = windows.computeIfAbsent(e.deviceId() + "/" + e.type().name(), k -> new Window());
        if (w.count == 0) {
          w.start = out.now();
          w.first = e;
        }
        w.device = e.device();
        w.count++;
        counters.increment("rule_access_summarised", e.deviceId(), e.type().name());
      }
      case NONE -> counters.increment("rule_access_dropped", e.deviceId(), e.type().name());
    }
  }

  void tick(Output out) {
    for (Map.Entry<String, Window> entry : new ArrayList<>(windows.entrySet())) {
      Window w = entry.getValue();
      RulesSection rules = rulesOf.apply(w.device.deviceId());
      if (out.now().isBefore(w.start.plus(rules.access().summaryInterval()))) {
        continue;
      }
      windows.remove(entry.getKey());
      out.offer(new AlertDraft(ids.get(), w.device, EventKind.ACCESS, w.first.type(), w.first.level(),
          AlertState.RAISED, w.first.nativeCode(), w.start, out.now(), List.of(), List.of(),
          Map.of("summary", "access", "count", Long.toString(w.count), "windowStart", w.start.toString()),
          w.count + " access events of this type since " + w.start), rules.rateLimit());
    }
  }
}
