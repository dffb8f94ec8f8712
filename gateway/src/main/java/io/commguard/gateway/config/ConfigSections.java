package io.commguard.gateway.config;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.commguard.gateway.validation.Names;
import io.commguard.gateway.validation.ProblemCollector;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads config parts into typed records with one set of rules for the whole file: unknown keys are
 * rejected with "did you mean", enums follow {@link Names}, and a type error is said in words with
 * its path. Sources read their own sections and device bindings through here, so a section a
 * source owns reads exactly like the core's.
 */
public final class ConfigSections {
  static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .addModule(new SimpleModule().setDeserializerModifier(new LenientEnums()))
      .build();

  private ConfigSections() {}

  /**
   * The section {@code node} as a {@code type}; null when the node is absent or has a problem
   * (then reported under {@code path}).
   */
  public static <T> T read(JsonNode node, Class<T> type, String path, ProblemCollector problems) {
    return read(node, YAML.constructType(type), path, problems);
  }

  /** A list section; an absent node is an empty list, a list with a problem is null. */
  public static <T> List<T> readList(JsonNode node, Class<T> type, String path, ProblemCollector problems) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    return read(node, YAML.getTypeFactory().constructCollectionType(List.class, type), path, problems);
  }

  private static <T> T read(JsonNode node, JavaType type, String path, ProblemCollector problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      return YAML.readerFor(type).readValue(YAML.treeAsTokens(node));
    } catch (JsonMappingException e) {
      String inner = pathOf(e);
      problems.add(inner.isEmpty() ? path : inner.startsWith("[") ? path + inner : path + "." + inner, reasonOf(e));
    } catch (java.io.IOException e) {
      problems.add(path, e.getMessage());
    }
    return null;
  }

  /**
   * The keys a config record reads itself: its components, except the one that collects the keys
   * the sources own ({@code @JsonAnySetter}).
   */
  public static Set<String> ownKeys(Class<? extends Record> record) {
    Set<String> keys = new TreeSet<>();
    for (RecordComponent c : record.getRecordComponents()) {
      if (!c.getAccessor().isAnnotationPresent(JsonAnyGetter.class) && !anySetter(record, c)) {
        keys.add(c.getName());
      }
    }
    return keys;
  }

  private static boolean anySetter(Class<?> record, RecordComponent c) {
    try {
      return record.getDeclaredField(c.getName()).isAnnotationPresent(JsonAnySetter.class);
    } catch (NoSuchFieldException e) {
      return false;
    }
  }

  /** Parses YAML or JSON text into a tree. */
  public static JsonNode readTree(String text) throws java.io.IOException {
    return YAML.readTree(text);
  }

  /** A value as the tree a config file would hold for it. */
  public static JsonNode tree(Object value) {
    return YAML.valueToTree(value);
  }

  static String pathOf(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  static String reasonOf(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> known = u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
      return "unknown key '" + u.getPropertyName() + "'" + at(e.getLocation()) + Names.didYouMean(u.getPropertyName(), known)
          + "; allowed: " + String.join(", ", known);
    }
    String message = e.getOriginalMessage();
    int cut = message.indexOf(" (through reference chain");
    return (cut > 0 ? message.substring(0, cut) : message) + at(e.getLocation());
  }

  static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 0 ? "" : " (line " + location.getLineNr() + ")";
  }
}
