package io.commguard.gateway.source.modbus.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Reads typed fields of one YAML mapping, reporting every problem with its full path and
 * rejecting keys it does not know. Returns fallbacks rather than throwing so a whole file is
 * checked in one pass.
 */
final class Fields {
  private final JsonNode node;
  private final String path;
  private final ProblemCollector problems;

  Fields(JsonNode node, String path, ProblemCollector problems, Set<String> allowed) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    if (!node.isObject()) {
      problems.add(path, "must be a mapping");
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        problems.add(path + "." + key, "unknown key; expected one of " + new java.util.TreeSet<>(allowed));
      }
    }
  }

  String path(String key) {
    return path + "." + key;
  }

  boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  JsonNode get(String key) {
    return node.get(key);
  }

  String string(String key, String fallback) {
    if (!has(key)) {
      return fallback;
    }
    JsonNode v = node.get(key);
    if (!v.isValueNode() || v.isBoolean()) {
      problems.add(path(key), "must be a text value");
      return fallback;
    }
    return v.asText();
  }

  String requiredString(String key) {
    if (!has(key)) {
      problems.add(path(key), "is required");
      return null;
    }
    String s = string(key, null);
    if (s != null && s.isBlank()) {
      problems.add(path(key), "must not be empty");
      return null;
    }
    return s;
  }

  /** A whole number written as an integer, or as text in decimal or 0x-hex. */
  Long integer(String key, Long fallback, long min, long max) {
    if (!has(key)) {
      return fallback;
    }
    Long v = parseInteger(node.get(key));
    if (v == null) {
      problems.add(path(key), "must be a whole number (decimal or 0x hex), was '" + node.get(key).asText() + "'");
      return fallback;
    }
    if (v < min || v > max) {
      problems.add(path(key), "must be between " + min + " and " + max + ", was " + v);
      return fallback;
    }
    return v;
  }

  static Long parseInteger(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isTextual()) {
      try {
        return Long.decode(v.asText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  Double number(String key, double fallback) {
    if (!has(key)) {
      return fallback;
    }
    JsonNode v = node.get(key);
    if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
      problems.add(path(key), "must be a number");
      return fallback;
    }
    return v.asDouble();
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
    if (!has(key)) {
      return fallback;
    }
    String s = node.get(key).asText();
    try {
      return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(path(key), "unknown value '" + s + "'; expected one of " + java.util.Arrays.toString(type.getEnumConstants()));
      return fallback;
    }
  }
}
