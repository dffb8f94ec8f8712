package io.commguard.gateway.rule.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.profile.ProfileSectionParser;
import io.commguard.gateway.validation.ProblemCollector;
import io.commguard.gateway.validation.YamlReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses and validates a {@code rules} section: the one of a profile (registered with the profile
 * loader under key {@code rules}) and the overrides in the gateway config, which share the schema.
 * Runs at boot on the main thread.
 */
public final class RulesSectionParser implements ProfileSectionParser<RulesSection> {
  public static final String KEY = "rules";

  private static final Set<String> SECTION_KEYS = Set.of(
      "alarms", "thresholds", "deadbands", "rateLimit", "offline", "access", "confirmation", "zone");
  private static final Set<String> ALARM_KEYS = Set.of("type", "raiseSamples", "raiseAfter",
      "clearSamples", "clearAfter", "clearOn", "quietClearAfter", "updateInterval");
  private static final Set<String> THRESHOLD_KEYS = Set.of("measurement", "type", "direction", "levels");
  private static final Set<String> LEVEL_KEYS = Set.of("level", "raiseAt", "clearBelow", "clearAbove");
  private static final Set<String> DEADBAND_KEYS = Set.of("measurement", "absolute", "percent", "maxSilence");
  private static final Set<String> RATE_KEYS = Set.of("eventsPerSecond", "burst", "summaryInterval");
  private static final Set<String> OFFLINE_KEYS = Set.of("expectedInterval", "missedIntervals");
  private static final Set<String> ACCESS_KEYS = Set.of("forward", "summaryInterval");
  private static final Set<String> CONFIRM_KEYS = Set.of("mode", "within", "unconfirmedLevel");

  @Override
  public String key() {
    return KEY;
  }

  @Override
  public RulesSection parse(JsonNode node, ProblemCollector problems) {
    return parse(node, KEY, problems);
  }

  /** Parses a rules section found at {@code path} (e.g. {@code devices[2].rules}). */
  public RulesSection parse(JsonNode node, String path, ProblemCollector problems) {
    if (node == null || node.isNull()) {
      return RulesSection.EMPTY;
    }
    int before = problems.problems().size();
    YamlReader r = new YamlReader(problems);
    if (!r.object(node, path, SECTION_KEYS)) {
      return null;
    }
    List<AlarmSpec> alarms = r.list(node, "alarms", path, (n, p) -> alarm(r, n, p));
    checkUnique(r, alarms, a -> String.valueOf(a.type()), path + ".alarms", "type");
    List<ThresholdSpec> thresholds = r.list(node, "thresholds", path, (n, p) -> threshold(r, n, p));
    checkUnique(r, thresholds, ThresholdSpec::measurement, path + ".thresholds", "measurement");
    List<DeadbandSpec> deadbands = r.list(node, "deadbands", path, (n, p) -> deadband(r, n, p));
    checkUnique(r, deadbands, DeadbandSpec::measurement, path + ".deadbands", "measurement");
    RateLimitSpec rate = null;
    if (node.has("rateLimit") && r.object(node.get("rateLimit"), path + ".rateLimit", RATE_KEYS)) {
      JsonNode n = node.get("rateLimit");
      String p = path + ".rateLimit";
      rate = new RateLimitSpec(r.number(n, "eventsPerSecond", p, 0.001), r.integer(n, "burst", p, 1, 100_000),
          r.duration(n, "summaryInterval", p, false));
    }
    OfflineSpec offline = null;
    if (node.has("offline") && r.object(node.get("offline"), path + ".offline", OFFLINE_KEYS)) {
      JsonNode n = node.get("offline");
      String p = path + ".offline";
      offline = new OfflineSpec(r.duration(n, "expectedInterval", p, false), r.integer(n, "missedIntervals", p, 1, 1000));
    }
    AccessSpec access = null;
    if (node.has("access") && r.object(node.get("access"), path + ".access", ACCESS_KEYS)) {
      JsonNode n = node.get("access");
      String p = path + ".access";
      access = new AccessSpec(r.enumValue(n, "forward", p, AccessSpec.Forward.class),
          r.duration(n, "summaryInterval", p, false));
    }
    ConfirmationSpec confirmation = null;
    if (node.has("confirmation") && r.object(node.get("confirmation"), path + ".confirmation", CONFIRM_KEYS)) {
      JsonNode n = node.get("confirmation");
      String p = path + ".confirmation";
      confirmation = new ConfirmationSpec(r.enumValue(n, "mode", p, ConfirmationSpec.Mode.class),
          r.duration(n, "within", p, false), r.integer(n, "unconfirmedLevel", p, 2, 4));
    }
    String zone = r.string(node, "zone", path);
    if (problems.problems().size() > before) {
      return null;
    }
    return new RulesSection(alarms, thresholds, deadbands, rate, offline, access, confirmation, zone);
  }

  private static AlarmSpec alarm(YamlReader r, JsonNode n, String p) {
    if (!r.object(n, p, ALARM_KEYS)) {
      return null;
    }
    String typeText = r.string(n, "type", p);
    CanonicalType type = null;
    if (typeText == null) {
      r.problem(p + ".type", "required (a canonical type, or ANY for every type)");
      return null;
    }
    if (!typeText.equalsIgnoreCase("ANY")) {
      type = r.enumValue(n, "type", p, CanonicalType.class);
      if (type == null) {
        return null;
      }
    }
    return new AlarmSpec(type,
        r.integer(n, "raiseSamples", p, 1, 10_000),
        r.duration(n, "raiseAfter", p, true),
        r.integer(n, "clearSamples", p, 1, 10_000),
        r.duration(n, "clearAfter", p, true),
        r.enumValue(n, "clearOn", p, AlarmSpec.ClearOn.class),
        r.duration(n, "quietClearAfter", p, false),
        r.duration(n, "updateInterval", p, true));
  }

  private static ThresholdSpec threshold(YamlReader r, JsonNode n, String p) {
    if (!r.object(n, p, THRESHOLD_KEYS)) {
      return null;
    }
    String measurement = r.string(n, "measurement", p);
    if (measurement == null) {
      r.problem(p + ".measurement", "required");
    }
    CanonicalType type = r.enumValue(n, "type", p, CanonicalType.class);
    if (type == null && !n.has("type")) {
      r.problem(p + ".type", "required (the canonical type of the alarm, e.g. GAS_LEAK)");
    }
    ThresholdSpec.Direction direction = n.has("direction")
        ? r.enumValue(n, "direction", p, ThresholdSpec.Direction.class) : ThresholdSpec.Direction.RISING;
    if (direction == null) {
      return null;
    }
    List<ThresholdSpec.Level> levels = r.list(n, "levels", p, (ln, lp) -> level(r, ln, lp, direction));
    if (levels == null || levels.isEmpty()) {
      r.problem(p + ".levels", "needs at least one level");
      return null;
    }
    if (measurement == null || type == null || levels.size() != n.get("levels").size()) {
      return null;
    }
    // Checked as a rising threshold; a falling one is the same on the negated value.
    int sign = direction.sign();
    List<ThresholdSpec.Level> sorted = new ArrayList<>(levels);
    sorted.sort(Comparator.comparingDouble(l -> sign * l.raiseAt()));
    String further = direction == ThresholdSpec.Direction.RISING ? "higher" : "lower";
    String clearKey = direction == ThresholdSpec.Direction.RISING ? "clearBelow" : "clearAbove";
    for (int i = 1; i < sorted.size(); i++) {
      ThresholdSpec.Level first = sorted.get(i - 1);
      ThresholdSpec.Level next = sorted.get(i);
      if (next.level() >= first.level() || next.raiseAt() == first.raiseAt()) {
        r.problem(p + ".levels", String.format(Locale.ROOT,
            "a %s raiseAt must mean a more severe (smaller) level: level %d at %s vs level %d at %s",
            further, first.level(), first.raiseAt(), next.level(), next.raiseAt()));
        return null;
      }
      if (sign * next.clearAt() < sign * first.clearAt()) {
        r.problem(p + ".levels", clearKey + " must move with raiseAt");
        return null;
      }
    }
    return new ThresholdSpec(measurement, type, direction, sorted);
  }

  private static ThresholdSpec.Level level(YamlReader r, JsonNode n, String p, ThresholdSpec.Direction direction) {
    if (!r.object(n, p, LEVEL_KEYS)) {
      return null;
    }
    boolean rising = direction == ThresholdSpec.Direction.RISING;
    String clearKey = rising ? "clearBelow" : "clearAbove";
    String otherKey = rising ? "clearAbove" : "clearBelow";
    if (n.has(otherKey)) {
      r.problem(p + "." + otherKey, "not for a " + direction + " threshold; use " + clearKey);
    }
    Integer level = r.integer(n, "level", p, 1, 4);
    Double raiseAt = r.number(n, "raiseAt", p, -Double.MAX_VALUE);
    Double clearAt = r.number(n, clearKey, p, -Double.MAX_VALUE);
    for (String k : List.of("level", "raiseAt", clearKey)) {
      if (!n.has(k)) {
        r.problem(p + "." + k, "required");
      }
    }
    if (level == null || raiseAt == null || clearAt == null || n.has(otherKey)) {
      return null;
    }
    if (rising && clearAt > raiseAt) {
      r.problem(p + ".clearBelow", "must not exceed raiseAt (" + raiseAt + ")");
      return null;
    }
    if (!rising && clearAt < raiseAt) {
      r.problem(p + ".clearAbove", "must not be below raiseAt (" + raiseAt + ")");
      return null;
    }
    return new ThresholdSpec.Level(level, raiseAt, clearAt);
  }

  private static DeadbandSpec deadband(YamlReader r, JsonNode n, String p) {
    if (!r.object(n, p, DEADBAND_KEYS)) {
      return null;
    }
    String measurement = r.string(n, "measurement", p);
    if (measurement == null) {
      r.problem(p + ".measurement", "required (a measurement name, or * for every measurement)");
      return null;
    }
    return new DeadbandSpec(measurement, r.number(n, "absolute", p, 0), r.number(n, "percent", p, 0),
        r.duration(n, "maxSilence", p, false));
  }

  private static <T> void checkUnique(YamlReader r, List<T> items, java.util.function.Function<T, String> key,
      String path, String field) {
    if (items == null) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String k = key.apply(items.get(i));
      if (!seen.add(k)) {
        r.problem(path + "[" + i + "]." + field, "duplicate entry for " + ("null".equals(k) ? "ANY" : k));
      }
    }
  }
}
