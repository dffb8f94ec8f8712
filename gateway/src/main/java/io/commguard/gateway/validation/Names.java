package io.commguard.gateway.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The spelling rules every input file shares: an enum value may be written in any case, with or
 * without underscores or hyphens ({@code holdingRegister}, {@code holding-register} and
 * {@code HOLDING_REGISTER} are one value), and a misspelt key or value gets a "did you mean"
 * suggestion when one known name is close to it.
 */
public final class Names {
  private Names() {}

  /** The constant of {@code type} that {@code text} spells, or null when none does. */
  public static <E extends Enum<E>> E enumConstant(Class<E> type, String text) {
    String wanted = normalize(text);
    for (E c : type.getEnumConstants()) {
      if (normalize(c.name()).equals(wanted)) {
        return c;
      }
    }
    return null;
  }

  /** The one of {@code names} that {@code text} spells under the same rule, or null. */
  public static String oneOf(Collection<String> names, String text) {
    String wanted = normalize(text);
    return names.stream().filter(n -> normalize(n).equals(wanted)).findFirst().orElse(null);
  }

  /** The names of {@code type}'s constants, in declaration order. */
  public static <E extends Enum<E>> List<String> constants(Class<E> type) {
    List<String> out = new ArrayList<>();
    for (E c : type.getEnumConstants()) {
      out.add(c.name());
    }
    return out;
  }

  /**
   * {@code "; did you mean 'x'?"} for the one candidate closest to {@code wrong} when it is close
   * enough to be a typo (at most one edit per three letters, a swap of neighbours counting as one),
   * else {@code ""}.
   */
  public static String didYouMean(String wrong, Collection<String> candidates) {
    String w = normalize(wrong);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(w, normalize(c));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    if (best == null || bestDistance > Math.max(1, normalize(best).length() / 3)) {
      return "";
    }
    return "; did you mean '" + best + "'?";
  }

  static String normalize(String s) {
    return s.trim().replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
  }

  /** Edit distance with swaps of neighbouring letters (optimal string alignment); names are short. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
