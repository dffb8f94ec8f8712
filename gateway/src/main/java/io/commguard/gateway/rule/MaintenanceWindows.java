package io.commguard.gateway.rule;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Maintenance windows. While a device is covered, its events are kept locally (in the rule state
 * store) and counted, never turned into alerts — except level-1 alarms, which the engine lets
 * through. Entering a window is reported as a RAISED MAINTENANCE alert, extending it as UPDATED,
 * leaving it (by an operator or at its end) as CLEARED with the number of events held back. A
 * window's state is written before its notice is issued, so a window either exists and is
 * announced or does not exist at all.
 */
final class MaintenanceWindows {
  private static final String NATIVE_CODE = "maintenance";
  private final Map<String, Window> windows = new LinkedHashMap<>();
  private final Function<MaintenanceScope, DeviceRef> refOf;
  private final Supplier<String> ids;
  private final Counters counters;
  private final RuleStateStore store;

  private static final class Window {
    MaintenanceScope scope;
    String alertId;
    Instant since;
    Instant until;
    long inhibited;
  }

  MaintenanceWindows(Function<MaintenanceScope, DeviceRef> refOf, Supplier<String> ids, Counters counters,
      RuleStateStore store) {
    this.refOf = refOf;
    this.ids = ids;
    this.counters = counters;
    this.store = store;
  }

  /**
   * Opens or extends a window. {@code onStart} runs for a new window before its alert, so what it
   * clears is reported first.
   */
  void enter(MaintenanceScope scope, Instant until, Output out, Consumer<MaintenanceScope> onStart) {
    Window w = windows.get(scope.toString());
    if (w == null) {
      w = new Window();
      w.scope = scope;
      w.alertId = ids.get();
      w.since = out.now();
      w.until = until;
      persist(w);
      onStart.accept(scope);
      windows.put(scope.toString(), w);
      out.notice(draft(w, AlertState.RAISED, out.now(), Map.of()));
    } else {
      Instant before = w.until;
      w.until = until;
      try {
        persist(w);
      } catch (RuntimeException e) {
        w.until = before;
        throw e;
      }
      out.notice(draft(w, AlertState.UPDATED, out.now(), Map.of()));
    }
  }

  /**
   * Shortens windows restored from disk that end later than {@code max} after {@code now} (the
   * maximum may have been lowered since they were opened).
   */
  void bound(Instant now, Duration max) {
    Instant latest = now.plus(max);
    for (Window w : windows.values()) {
      if (w.until.isAfter(latest)) {
        w.until = latest;
        persist(w);
      }
    }
  }

  /** True for the notices of a window itself (as opposed to a device's MAINTENANCE status). */
  static boolean isNotice(AlertDraft alert) {
    return alert.type() == CanonicalType.MAINTENANCE && NATIVE_CODE.equals(alert.nativeCode());
  }

  void leave(MaintenanceScope scope, String endedBy, Output out) {
    Window w = windows.remove(scope.toString());
    if (w == null) {
      return;
    }
    store.remove(storageKey(w.scope));
    out.notice(draft(w, AlertState.CLEARED, out.now(), Map.of("endedBy", endedBy)));
  }

  void expire(Output out) {
    for (Window w : new ArrayList<>(windows.values())) {
      if (!out.now().isBefore(w.until)) {
        leave(w.scope, "expiry", out);
      }
    }
  }

  /** True when {@code e} falls under a window; the event is then kept locally and counted. */
  boolean hold(DeviceEvent e) {
    Window covering = covering(e.device());
    if (covering == null) {
      return false;
    }
    covering.inhibited++;
    counters.increment("rule_inhibited", e.deviceId(), e.type().name());
    store.keepInhibited(e.deviceId(), StateCodec.write(new Kept(e.deviceId(), e.kind(), e.type(), e.level(),
        e.phase().name(), e.nativeCode(), e.deviceTime().toEpochMilli(), e.episodeKey(), covering.scope.toString())));
    persist(covering);
    return true;
  }

  boolean covers(DeviceRef device) {
    return covering(device) != null;
  }

  /** The scope of the first window covering {@code device}, or null. */
  MaintenanceScope scopeCovering(DeviceRef device) {
    Window w = covering(device);
    return w == null ? null : w.scope;
  }

  List<MaintenanceControl.Window> view() {
    List<MaintenanceControl.Window> out = new ArrayList<>();
    for (Window w : windows.values()) {
      out.add(new MaintenanceControl.Window(w.scope.toString(), w.since, w.until, w.inhibited));
    }
    return List.copyOf(out);
  }

  void restore(String json) {
    StateCodec.MaintenanceState s = StateCodec.read(json, StateCodec.MaintenanceState.class);
    Window w = new Window();
    w.scope = MaintenanceScope.parse(s.scope());
    w.alertId = s.alertId();
    w.since = Instant.ofEpochMilli(s.sinceMs());
    w.until = Instant.ofEpochMilli(s.untilMs());
    w.inhibited = s.inhibited();
    windows.put(w.scope.toString(), w);
  }

  static boolean owns(String key) {
    return key.startsWith("maintenance/");
  }

  /** What is kept of an event received under maintenance: no measurements, no personal data. */
  record Kept(String deviceId, EventKind kind, CanonicalType type, int level, String phase, String nativeCode,
      long deviceTimeMs, String episodeKey, String scope) {}

  private Window covering(DeviceRef device) {
    for (Window w : windows.values()) {
      if (w.scope.covers(device)) {
        return w;
      }
    }
    return null;
  }

  private AlertDraft draft(Window w, AlertState state, Instant now, Map<String, String> extra) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("scope", w.scope.toString());
    attributes.put("until", w.until.toString());
    attributes.put("inhibitedEvents", Long.toString(w.inhibited));
    attributes.putAll(extra);
    String text = switch (state) {
      case RAISED -> "Maintenance started for " + w.scope;
      case UPDATED -> "Maintenance extended for " + w.scope;
      case CLEARED -> "Maintenance ended for " + w.scope;
    };
    return new AlertDraft(w.alertId, refOf.apply(w.scope), EventKind.STATUS, CanonicalType.MAINTENANCE,
        CanonicalType.MAINTENANCE.defaultLevel(), state, NATIVE_CODE, w.since, now, List.of(), List.of(),
        attributes, text);
  }

  private void persist(Window w) {
    store.put(storageKey(w.scope), StateCodec.write(new StateCodec.MaintenanceState(w.scope.toString(), w.alertId,
        w.since.toEpochMilli(), w.until.toEpochMilli(), w.inhibited)));
  }

  private static String storageKey(MaintenanceScope scope) {
    return "maintenance/" + scope;
  }
}
