package io.commguard.gateway.rule.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.validation.ProblemCollector;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads typed values out of a YAML tree, reporting every problem with its exact path instead of
 * throwing. Each getter returns null when the key is absent or its value is unusable.
 */
final class NodeReader {
  private final ProblemCollector problems;

  NodeReader(ProblemCollector problems) {
    this.problems = problems;
  }

  ProblemCollector problems() {
    return problems;
  }

  void problem(String path, String reason) {
    problems.add(path, reason);
  }

  /** True when {@code node} is a mapping; reports keys outside {@code allowed}. */
  boolean object(JsonNode node, String path, Set<String> allowed) {
    if (node == null || !node.isObject()) {
      problems.add(path, "must be a mapping");
      return false;
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        problems.add(path + "." + name, "unknown key; allowed: " + String.join(", ", sorted(allowed)));
      }
    }
    return true;
  }

  String string(JsonNode parent, String key, String path) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      problems.add(path + "." + key, "must be a non-empty string");
      return null;
    }
    return n.asText();
  }

  Integer integer(JsonNode parent, String key, String path, int min, int max) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
      problems.add(path + "." + key, "must be an integer from " + min + " to " + max);
      return null;
    }
    return n.asInt();
  }

  Double number(JsonNode parent, String key, String path, double min) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber() || !Double.isFinite(n.asDouble()) || n.asDouble() < min) {
      problems.add(path + "." + key, "must be a number >= " + min);
      return null;
    }
    return n.asDouble();
  }

  /** An ISO-8601 duration such as {@code PT30S}; {@code allowZero} admits {@code PT0S}. */
  Duration duration(JsonNode parent, String key, String path, boolean allowZero) {
    String text = string(parent, key, path);
    if (text == null) {
      return null;
    }
    try {
      Duration d = Duration.parse(text);
      if (d.isNegative() || (!allowZero && d.isZero())) {
        problems.add(path + "." + key, "must be a " + (allowZero ? "non-negative" : "positive")
            + " ISO-8601 duration, was " + text);
        return null;
      }
      return d;
    } catch (DateTimeParseException e) {
      problems.add(path + "." + key, "must be an ISO-8601 duration such as PT30S or PT4H, was " + text);
      return null;
    }
  }

  LocalTime timeOfDay(JsonNode parent, String key, String path) {
    String text = string(parent, key, path);
    if (text == null) {
      return null;
    }
    try {
      return LocalTime.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(path + "." + key, "must be a time of day such as 07:00, was " + text);
      return null;
    }
  }

  ZoneId zone(JsonNode parent, String key, String path) {
    String text = string(parent, key, path);
    if (text == null) {
      return null;
    }
    try {
      return ZoneId.of(text);
    } catch (RuntimeException e) {
      problems.add(path + "." + key, "must be a time zone id such as Asia/Shanghai, was " + text);
      return null;
    }
  }

  <E extends Enum<E>> E enumValue(JsonNode parent, String key, String path, Class<E> type) {
    String text = string(parent, key, path);
    if (text == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E c : type.getEnumConstants()) {
        names.add(c.name());
      }
      problems.add(path + "." + key, "unknown value " + text + "; allowed: " + String.join(", ", names));
      return null;
    }
  }

  /**
   * Parses a list under {@code key} element by element; elements that fail parse to null and are
   * left out. Returns null when the key is absent.
   */
  <T> List<T> list(JsonNode parent, String key, String path, BiFunction<JsonNode, String, T> element) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray()) {
      problems.add(path + "." + key, "must be a list");
      return null;
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      T value = element.apply(n.get(i), path + "." + key + "[" + i + "]");
      if (value != null) {
        out.add(value);
      }
    }
    return out;
  }

  private static List<String> sorted(Set<String> keys) {
    List<String> out = new ArrayList<>(keys);
    out.sort(null);
    return out;
  }
}
