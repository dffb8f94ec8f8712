package io.commguard.gateway.rule.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/** Helpers for layering rule settings: built-in defaults, profile, site overrides, device. */
final class Merge {
  private Merge() {}

  static <T> T pick(T over, T base) {
    return over != null ? over : base;
  }

  /** Merges two nullable values with {@code merge} when both are present. */
  static <T> T layer(T base, T over, BinaryOperator<T> merge) {
    if (over == null) {
      return base;
    }
    return base == null ? over : merge.apply(base, over);
  }

  /** Merges entries of two lists that share an identity; new identities are appended. */
  static <T, K> List<T> byKey(List<T> base, List<T> over, Function<T, K> key, BinaryOperator<T> merge) {
    if (over == null) {
      return base;
    }
    if (base == null) {
      return over;
    }
    Map<K, T> merged = new LinkedHashMap<>();
    for (T t : base) {
      merged.put(key.apply(t), t);
    }
    for (T t : over) {
      merged.merge(key.apply(t), t, merge);
    }
    return List.copyOf(new ArrayList<>(merged.values()));
  }
}
