package io.commguard.gateway.profile.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled path into a decoded payload tree, with alternatives tried in order.
 *
 * <p>Syntax: dotted names with array indexes ({@code AccessControllerEvent.cardNo},
 * {@code DetectionRegionList[0].regionID}) or a JSON pointer ({@code /a/b/0}); several
 * alternatives separated by {@code |} ({@code DetectionRegionList.DetectionRegionEntry[0].regionID
 * | DetectionRegionList[0].regionID}) resolve to the first one present. Index {@code [0]} on a
 * single (non-array) node yields that node, because XML has no arrays of one.
 */
public final class FieldPath {
  private final String expression;
  private final Object[][] alternatives; // each step is a String (name) or Integer (index)

  private FieldPath(String expression, Object[][] alternatives) {
    this.expression = expression;
    this.alternatives = alternatives;
  }

  /**
   * Compiles {@code expression}.
   *
   * @throws IllegalArgumentException with a reason fit for a validation problem
   */
  public static FieldPath compile(String expression) {
    String[] alts = expression.split("\\|", -1);
    Object[][] compiled = new Object[alts.length][];
    for (int i = 0; i < alts.length; i++) {
      String alt = alts[i].strip();
      if (alt.isEmpty()) {
        throw new IllegalArgumentException("empty path");
      }
      compiled[i] = alt.startsWith("/") ? pointer(alt) : dotted(alt);
    }
    return new FieldPath(expression.strip(), compiled);
  }

  private static Object[] pointer(String p) {
    List<Object> steps = new ArrayList<>();
    for (String raw : p.substring(1).split("/", -1)) {
      String s = raw.replace("~1", "/").replace("~0", "~");
      steps.add(!s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 9 ? (Object) Integer.valueOf(s) : s.intern());
    }
    return steps.toArray();
  }

  private static Object[] dotted(String p) {
    List<Object> steps = new ArrayList<>();
    for (String part : p.split("\\.", -1)) {
      int bracket = part.indexOf('[');
      String name = bracket < 0 ? part : part.substring(0, bracket);
      if (name.isEmpty() && bracket != 0) {
        throw new IllegalArgumentException("empty name in path '" + p + "'");
      }
      if (!name.isEmpty()) {
        // Jackson interns the field names it parses; an interned step name then matches by identity.
        steps.add(name.intern());
      }
      while (bracket >= 0) {
        int close = part.indexOf(']', bracket);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed '[' in path '" + p + "'");
        }
        String digits = part.substring(bracket + 1, close);
        if (digits.isEmpty() || digits.length() > 8 || !digits.chars().allMatch(Character::isDigit)) {
          throw new IllegalArgumentException("array index must be a number in path '" + p + "'");
        }
        steps.add(Integer.valueOf(digits));
        bracket = part.indexOf('[', close);
        if (bracket < 0 && close != part.length() - 1) {
          throw new IllegalArgumentException("unexpected text after ']' in path '" + p + "'");
        }
      }
    }
    return steps.toArray();
  }

  /** The node at the first alternative present, or null when none is (JSON null counts as absent). */
  public JsonNode resolve(JsonNode root) {
    for (Object[] steps : alternatives) {
      JsonNode n = walk(root, steps);
      if (n != null && !n.isNull() && !n.isMissingNode()) {
        return n;
      }
    }
    return null;
  }

  private static JsonNode walk(JsonNode root, Object[] steps) {
    JsonNode n = root;
    for (Object step : steps) {
      if (step instanceof String name) {
        n = n.get(name);
      } else {
        int i = (Integer) step;
        if (n.isArray()) {
          n = n.get(i);
        } else if (i != 0) {
          n = null;
        }
      }
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  /** Every alternative's last field name: what the personal-data check looks at. */
  public List<String> lastNames() {
    List<String> names = new ArrayList<>();
    for (Object[] steps : alternatives) {
      for (int i = steps.length - 1; i >= 0; i--) {
        if (steps[i] instanceof String s) {
          names.add(s);
          break;
        }
      }
    }
    return names;
  }

  /** The expression as written in the profile; safe to put in errors (never a payload value). */
  @Override
  public String toString() {
    return expression;
  }
}
