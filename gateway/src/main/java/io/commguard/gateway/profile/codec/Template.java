package io.commguard.gateway.profile.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A text with {@code {path}} placeholders, e.g. {@code ch{channelID}/r{DetectionRegionList[0].regionID}},
 * compiled once. A placeholder whose path is absent renders as nothing; non-scalar values render
 * as nothing too (templates never fail a message).
 */
public final class Template {
  private final String source;
  private final String[] literals; // literals.length == paths.length + 1
  private final FieldPath[] paths;

  private Template(String source, String[] literals, FieldPath[] paths) {
    this.source = source;
    this.literals = literals;
    this.paths = paths;
  }

  /** @throws IllegalArgumentException with a reason fit for a validation problem */
  public static Template compile(String source) {
    List<String> literals = new ArrayList<>();
    List<FieldPath> paths = new ArrayList<>();
    int from = 0;
    while (true) {
      int open = source.indexOf('{', from);
      if (open < 0) {
        break;
      }
      int close = source.indexOf('}', open);
      if (close < 0) {
        throw new IllegalArgumentException("unclosed '{' in template");
      }
      literals.add(source.substring(from, open));
      paths.add(FieldPath.compile(source.substring(open + 1, close)));
      from = close + 1;
    }
    literals.add(source.substring(from));
    return new Template(source, literals.toArray(String[]::new), paths.toArray(FieldPath[]::new));
  }

  public List<FieldPath> paths() {
    return List.of(paths);
  }

  public String render(JsonNode root) {
    if (paths.length == 0) {
      return literals[0];
    }
    StringBuilder b = new StringBuilder(source.length() + 16);
    for (int i = 0; i < paths.length; i++) {
      b.append(literals[i]);
      JsonNode v = paths[i].resolve(root);
      if (v != null && v.isValueNode()) {
        b.append(v.asText());
      }
    }
    return b.append(literals[paths.length]).toString();
  }

  @Override
  public String toString() {
    return source;
  }
}
