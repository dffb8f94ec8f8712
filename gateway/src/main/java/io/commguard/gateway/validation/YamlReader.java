package io.commguard.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Reads typed values out of a parsed YAML tree for every input file (profiles, rules, register
 * maps), reporting each problem as {@code path: reason} instead of throwing, so one pass shows the
 * author every mistake. Getters return null (or the given fallback) when a key is absent, and null
 * when its value is unusable. Paths look like {@code modbus.points[3].address}; a key that is no
 * plain name is quoted: {@code decode.codes["5/0x1c"]}. Enum values follow {@link Names}.
 */
public final class YamlReader {
  private final ProblemCollector problems;

  public YamlReader(ProblemCollector problems) {
    this.problems = problems;
  }

  public ProblemCollector problems() {
    return problems;
  }

  public void problem(String path, String reason) {
    problems.add(path, reason);
  }

  /** {@code parent.key}, or {@code parent["odd key"]} for keys that are not plain names. */
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

  /** A mapping's entries in file order. */
  public static Iterable<Map.Entry<String, JsonNode>> entries(JsonNode mapping) {
    return mapping.properties();
  }

  /** True when {@code node} is a mapping; reports every key outside {@code allowed}. */
  public boolean object(JsonNode node, String path, Collection<String> allowed) {
    if (node == null || !node.isObject()) {
      problems.add(path, "must be a mapping");
      return false;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        problems.add(child(path, key), "unknown key" + Names.didYouMean(key, allowed)
            + "; allowed: " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
    return true;
  }

  /** A view of one mapping for parsers that read many keys of it; reports unknown keys at once. */
  public Mapping mapping(JsonNode node, String path, Collection<String> allowed) {
    object(node, path, allowed);
    return new Mapping(node, path);
  }

  /** A non-blank scalar at {@code parent.key} as text (numbers too), or null when absent. */
  public String string(JsonNode parent, String key, String path) {
    JsonNode v = parent.get(key);
    return v == null || v.isNull() ? null : text(v, child(path, key));
  }

  /** Like {@link #string(JsonNode, String, String)}, with {@code fallback} when absent. */
  public String string(JsonNode parent, String key, String path, String fallback) {
    JsonNode v = parent.get(key);
    return v == null || v.isNull() ? fallback : text(v, child(path, key));
  }

  /** Like {@link #string(JsonNode, String, String)}, reporting {@code required} when absent. */
  public String requiredString(JsonNode parent, String key, String path) {
    JsonNode v = parent.get(key);
    if (v == null || v.isNull()) {
      problems.add(child(path, key), "required");
      return null;
    }
    return text(v, child(path, key));
  }

  private String text(JsonNode v, String path) {
    if (!v.isValueNode() || v.isBoolean()) {
      problems.add(path, "must be a string");
      return null;
    }
    if (v.asText().isBlank()) {
      problems.add(path, "must not be blank");
      return null;
    }
    return v.asText();
  }

  /** An integer in {@code [min, max]}, written as a number or as decimal or 0x-hex text. */
  public Integer integer(JsonNode parent, String key, String path, int min, int max) {
    Long v = longInteger(parent, key, path, min, max);
    return v == null ? null : v.intValue();
  }

  /** Like {@link #integer}, with {@code fallback} when absent. */
  public Integer integer(JsonNode parent, String key, String path, Integer fallback, int min, int max) {
    JsonNode v = parent.get(key);
    return v == null || v.isNull() ? fallback : integer(parent, key, path, min, max);
  }

  /** A whole number in {@code [min, max]}, written as a number or as decimal or 0x-hex text. */
  public Long longInteger(JsonNode parent, String key, String path, long min, long max) {
    JsonNode v = parent.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    Long n = parseInteger(v);
    if (n == null || n < min || n > max) {
      problems.add(child(path, key), "must be an integer from " + min + " to " + max + ", was " + shown(v));
      return null;
    }
    return n;
  }

  /** The whole number {@code v} holds (a number, or decimal or 0x-hex text), or null. */
  public static Long parseInteger(JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
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

  /** A finite number, or null when absent. */
  public Double number(JsonNode parent, String key, String path) {
    return number(parent, key, path, Double.NEGATIVE_INFINITY);
  }

  /** A finite number of at least {@code min}, or null when absent. */
  public Double number(JsonNode parent, String key, String path, double min) {
    JsonNode v = parent.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < min) {
      problems.add(child(path, key), (min == Double.NEGATIVE_INFINITY ? "must be a number" : "must be a number >= " + min)
          + ", was " + shown(v));
      return null;
    }
    return v.asDouble();
  }

  /** An ISO-8601 duration such as {@code PT30S}; {@code allowZero} admits {@code PT0S}. */
  public Duration duration(JsonNode parent, String key, String path, boolean allowZero) {
    String text = string(parent, key, path);
    if (text == null) {
      return null;
    }
    try {
      Duration d = Duration.parse(text);
      if (d.isNegative() || (!allowZero && d.isZero())) {
        problems.add(child(path, key), "must be a " + (allowZero ? "non-negative" : "positive")
            + " ISO-8601 duration, was " + text);
        return null;
      }
      return d;
    } catch (DateTimeParseException e) {
      problems.add(child(path, key), "must be an ISO-8601 duration such as PT30S or PT4H, was " + text);
      return null;
    }
  }

  public LocalTime timeOfDay(JsonNode parent, String key, String path) {
    String text = string(parent, key, path);
    if (text == null) {
      return null;
    }
    try {
      return LocalTime.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(child(path, key), "must be a time of day such as 07:00, was " + text);
      return null;
    }
  }

  public ZoneId zone(JsonNode parent, String key, String path) {
    String text = string(parent, key, path);
    if (text == null) {
      return null;
    }
    try {
      return ZoneId.of(text);
    } catch (RuntimeException e) {
      problems.add(child(path, key), "must be a time zone id such as Asia/Shanghai, was " + text);
      return null;
    }
  }

  /** An enum constant at {@code parent.key}, or null when absent. */
  public <E extends Enum<E>> E enumValue(JsonNode parent, String key, String path, Class<E> type) {
    return enumValue(parent, key, path, type, null);
  }

  /** An enum constant at {@code parent.key}, or {@code fallback} when absent. */
  public <E extends Enum<E>> E enumValue(JsonNode parent, String key, String path, Class<E> type, E fallback) {
    JsonNode v = parent.get(key);
    return v == null || v.isNull() ? fallback : enumOf(v, child(path, key), type);
  }

  /** The enum constant {@code v} spells; reports and returns null when it spells none. */
  public <E extends Enum<E>> E enumOf(JsonNode v, String path, Class<E> type) {
    E found = v.isTextual() ? Names.enumConstant(type, v.asText()) : null;
    if (found == null) {
      List<String> names = Names.constants(type);
      problems.add(path, "must be one of " + String.join(", ", names) + ", was " + shown(v)
          + (v.isTextual() ? Names.didYouMean(v.asText(), names) : ""));
    }
    return found;
  }

  /**
   * Parses a list under {@code key} element by element; elements that fail parse to null and are
   * left out. Returns null when the key is absent.
   */
  public <T> List<T> list(JsonNode parent, String key, String path, BiFunction<JsonNode, String, T> element) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray()) {
      problems.add(child(path, key), "must be a list");
      return null;
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      T value = element.apply(n.get(i), index(child(path, key), i));
      if (value != null) {
        out.add(value);
      }
    }
    return out;
  }

  /** A value as it appears in a message: text quoted, anything else as YAML would show it. */
  private static String shown(JsonNode v) {
    String s = v.isTextual() ? "'" + v.asText() + "'" : v.isContainerNode() ? (v.isArray() ? "a list" : "a mapping") : v.asText();
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  /** One mapping and its path, for parsers that read many keys of it with fallbacks. */
  public final class Mapping {
    private final JsonNode node;
    private final String path;

    private Mapping(JsonNode node, String path) {
      this.node = node == null || !node.isObject() ? MissingNode.getInstance() : node;
      this.path = path;
    }

    public String path(String key) {
      return child(path, key);
    }

    public boolean has(String key) {
      JsonNode v = node.get(key);
      return v != null && !v.isNull();
    }

    public JsonNode get(String key) {
      return node.get(key);
    }

    // Each getter falls back after reporting, so one bad value does not stop the rest of the pass.

    public String string(String key, String fallback) {
      return orElse(has(key) ? YamlReader.this.string(node, key, path) : null, fallback);
    }

    public String requiredString(String key) {
      return YamlReader.this.requiredString(node, key, path);
    }

    public Long integer(String key, Long fallback, long min, long max) {
      return orElse(has(key) ? longInteger(node, key, path, min, max) : null, fallback);
    }

    public Double number(String key, Double fallback) {
      return orElse(has(key) ? YamlReader.this.number(node, key, path) : null, fallback);
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
      return orElse(YamlReader.this.enumValue(node, key, path, type, fallback), fallback);
    }

    private static <T> T orElse(T value, T fallback) {
      return value == null ? fallback : value;
    }
  }
}
