package io.commguard.gateway.rule;

import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.rule.spec.RulesSection;
import io.commguard.gateway.rule.spec.ThresholdSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Multi-level thresholds with hysteresis, rising or falling. Keeps the current level of each (device, measurement)
 * (0 = normal) and turns each reading into an alarm sample for the episode book: ACTIVE at the
 * current level while above normal, INACTIVE once back to normal. The episode key is the
 * measurement name, so each threshold has its own episode.
 */
final class ThresholdTracker {
  private final Map<String, Integer> levels = new HashMap<>();
  private final RuleStateStore store;

  ThresholdTracker(RuleStateStore store) {
    this.store = store;
  }

  /**
   * Samples derived from the readings of {@code e}, in the order of the profile's thresholds. A
   * reading at normal level yields an INACTIVE sample only while {@code tracked} says an episode
   * still waits for it (clear debounce).
   */
  List<DeviceEvent> samples(DeviceEvent e, RulesSection rules, Predicate<EpisodeKey> tracked) {
    if (rules.thresholds() == null || rules.thresholds().isEmpty() || e.measurements().isEmpty()) {
      return List.of();
    }
    List<DeviceEvent> out = new ArrayList<>(1);
    for (ThresholdSpec t : rules.thresholds()) {
      for (Measurement m : e.measurements()) {
        if (!m.name().equals(t.measurement()) || !Double.isFinite(m.value())) {
          continue;
        }
        String key = storageKey(e.deviceId(), t.measurement());
        int current = levels.getOrDefault(key, 0);
        int next = nextLevel(t, current, m.value());
        if (next != current) {
          if (next == 0) {
            levels.remove(key);
            store.remove(key);
          } else {
            levels.put(key, next);
            store.put(key, Integer.toString(next));
          }
        }
        if (next == 0 && current == 0 && !tracked.test(new EpisodeKey(e.deviceId(), t.type(), t.measurement()))) {
          continue;
        }
        out.add(new DeviceEvent(e.device(), EventKind.ALARM, t.type(), next == 0 ? t.type().defaultLevel() : next,
            next == 0 ? Phase.INACTIVE : Phase.ACTIVE, e.nativeCode(), e.deviceTime(), e.receivedAt(),
            t.measurement(), e.measurements(), e.evidence(), e.attributes(),
            t.measurement() + " " + m.value() + (m.unit().isEmpty() ? "" : " " + m.unit())));
      }
    }
    return out;
  }

  /**
   * The level after reading {@code value} at level {@code current} (0 = normal): the most severe
   * level whose {@code raiseAt} is reached if that is more severe; otherwise step down through the
   * levels whose clear point the value has passed. A falling threshold is the same on the negated
   * value.
   */
  static int nextLevel(ThresholdSpec t, int current, double value) {
    List<ThresholdSpec.Level> ls = t.levels(); // in the order they are reached, descending severity number
    int sign = t.direction().sign();
    double v = sign * value;
    int reached = 0;
    for (ThresholdSpec.Level l : ls) {
      if (v >= sign * l.raiseAt()) {
        reached = l.level();
      }
    }
    if (reached != 0 && (current == 0 || reached < current)) {
      return reached;
    }
    int index = indexOf(ls, current);
    while (index >= 0 && v < sign * ls.get(index).clearAt()) {
      index--;
    }
    return index < 0 ? 0 : ls.get(index).level();
  }

  private static int indexOf(List<ThresholdSpec.Level> ls, int level) {
    for (int i = 0; i < ls.size(); i++) {
      if (ls.get(i).level() == level) {
        return i;
      }
    }
    return -1;
  }

  /** Forgets the levels of one device (maintenance starts). */
  void reset(String deviceId) {
    String prefix = storageKey(deviceId, "");
    levels.keySet().removeIf(k -> {
      if (k.startsWith(prefix)) {
        store.remove(k);
        return true;
      }
      return false;
    });
  }

  void restore(String key, String value) {
    levels.put(key, Integer.parseInt(value));
  }

  static boolean owns(String key) {
    return key.startsWith("threshold/");
  }

  private static String storageKey(String deviceId, String measurement) {
    return "threshold/" + deviceId + "/" + measurement;
  }
}
