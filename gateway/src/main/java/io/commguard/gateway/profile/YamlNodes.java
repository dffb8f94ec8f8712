package io.commguard.gateway.profile;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Small typed readers over a parsed YAML tree that report every problem with its exact path
 * instead of throwing, so one validation pass shows the author all mistakes at once. Used by
 * section parsers; stateless.
 */
public final class YamlNodes {
  private YamlNodes() {}

  /** {@code parent.key} or {@code parent["odd key"]} for keys that are not plain identifiers. */
  public static String child(String parent, String key) {
    boolean plain = !key.isEmpty() && key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-');
    String step = plain ? key : "[\"" + key.replace("\"", "\\\"") + "\"]";
    if (parent.isEmpty()) {
      return step;
    }
    return plain ? parent + "." + step : parent + step;
  }

  /** {@code parent[index]}. */
  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /** Reports every key of {@code node} not in {@code allowed}. Returns false when {@code node} is no mapping. */
  public static boolean onlyKeys(JsonNode node, String path, Collection<String> allowed, ProblemCollector problems) {
    if (!node.isObject()) {
      problems.add(path, "must be a mapping");
      return false;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        problems.add(child(path, k), "unknown key (allowed: " + String.join(", ", allowed) + ")");
      }
    }
    return true;
  }

  /** A non-blank string at {@code node.key}; reports and returns null when missing or not a string. */
  public static String requiredText(JsonNode node, String key, String path, ProblemCollector problems) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      problems.add(child(path, key), "required");
      return null;
    }
    return text(v, child(path, key), problems);
  }

  /** A string at {@code node.key}, or {@code fallback} when absent. */
  public static String optionalText(JsonNode node, String key, String path, String fallback, ProblemCollector problems) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    return text(v, child(path, key), problems);
  }

  private static String text(JsonNode v, String path, ProblemCollector problems) {
    if (!v.isValueNode() || v.isBoolean()) {
      problems.add(path, "must be a string");
      return null;
    }
    String s = v.asText();
    if (s.isBlank()) {
      problems.add(path, "must not be blank");
      return null;
    }
    return s;
  }

  /** An integer in {@code [min, max]} at {@code node.key}, or {@code fallback} when absent. */
  public static Integer optionalInt(JsonNode node, String key, String path, Integer fallback, int min, int max, ProblemCollector problems) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
      problems.add(child(path, key), "must be an integer from " + min + " to " + max);
      return null;
    }
    return v.asInt();
  }

  /** A number at {@code node.key}, or {@code fallback} when absent. */
  public static Double optionalNumber(JsonNode node, String key, String path, Double fallback, ProblemCollector problems) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber()) {
      problems.add(child(path, key), "must be a number");
      return null;
    }
    return v.asDouble();
  }

  /**
   * An enum constant at {@code node.key} spelled in any case ({@code ACTIVE}, {@code active},
   * {@code epochMillis} for {@code EPOCH_MILLIS}), or {@code fallback} when absent.
   */
  public static <E extends Enum<E>> E optionalEnum(JsonNode node, String key, String path, Class<E> type, E fallback, ProblemCollector problems) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    return enumValue(v, child(path, key), type, problems);
  }

  /** Parses {@code v} as a constant of {@code type}; reports and returns null when it is none. */
  public static <E extends Enum<E>> E enumValue(JsonNode v, String path, Class<E> type, ProblemCollector problems) {
    if (v.isTextual()) {
      String wanted = v.asText().replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
      for (E c : type.getEnumConstants()) {
        if (c.name().replace("_", "").toLowerCase(Locale.ROOT).equals(wanted)) {
          return c;
        }
      }
    }
    problems.add(path, "must be one of " + names(type));
    return null;
  }

  private static <E extends Enum<E>> String names(Class<E> type) {
    StringBuilder b = new StringBuilder();
    for (E c : type.getEnumConstants()) {
      b.append(b.length() == 0 ? "" : ", ").append(c.name());
    }
    return b.toString();
  }

  /** Iterates a mapping's entries in file order. */
  public static Iterable<Map.Entry<String, JsonNode>> entries(JsonNode mapping) {
    return mapping.properties();
  }
}
