package io.commguard.gateway.profile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.commguard.gateway.config.InvalidInputException;
import io.commguard.gateway.config.Problem;
import io.commguard.gateway.config.ProblemCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads and validates every {@code profile.yaml} under a directory (layout
 * {@code <vendor>/<model>/profile.yaml}). Checks the common header, rejects unknown top-level keys
 * unless a registered {@link ProfileSectionParser} owns them, and hands each section to its parser.
 * Every problem in every file is collected before anything is thrown, so the author sees them all.
 * Blocking file I/O: call at boot or from the CLI, never on an event loop.
 */
public final class ProfileLoader {
  /** The file name that marks a profile; READMEs and case files beside it are not read. */
  public static final String PROFILE_FILE = "profile.yaml";

  private static final List<String> HEADER_KEYS = List.of("id", "vendor", "model", "protocol", "description");
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private final Map<String, ProfileSectionParser<?>> parsers;
  private final ObjectMapper yaml;

  /** @param parsers one parser per top-level section key; keys must be distinct and not header keys */
  public ProfileLoader(List<ProfileSectionParser<?>> parsers) {
    Map<String, ProfileSectionParser<?>> byKey = new LinkedHashMap<>();
    for (ProfileSectionParser<?> p : parsers) {
      if (HEADER_KEYS.contains(p.key()) || byKey.putIfAbsent(p.key(), p) != null) {
        throw new IllegalArgumentException("Section key registered twice or clashing with the header: " + p.key());
      }
    }
    this.parsers = Collections.unmodifiableMap(byKey);
    this.yaml = new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
  }

  /**
   * Loads every profile under {@code dir}.
   *
   * @return profiles by id, sorted by id
   * @throws InvalidInputException listing every problem in every file
   */
  public Map<String, DeviceProfile> loadDirectory(Path dir) {
    List<Problem> problems = new ArrayList<>();
    Map<String, DeviceProfile> profiles = load(dir, problems);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return profiles;
  }

  /**
   * Validates every profile under {@code dir} without throwing; used by
   * {@code gateway profiles validate DIR}.
   *
   * @return every problem found, empty when all profiles are valid
   */
  public static List<Problem> validateDirectory(Path dir, List<ProfileSectionParser<?>> parsers) {
    List<Problem> problems = new ArrayList<>();
    new ProfileLoader(parsers).load(dir, problems);
    return List.copyOf(problems);
  }

  private Map<String, DeviceProfile> load(Path dir, List<Problem> problems) {
    List<Path> files;
    if (!Files.isDirectory(dir)) {
      problems.add(new Problem(dir.toString(), "", "profiles directory does not exist"));
      return Map.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.getFileName().toString().equals(PROFILE_FILE) && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      problems.add(new Problem(dir.toString(), "", "cannot list profiles: " + e.getMessage()));
      return Map.of();
    }
    if (files.isEmpty()) {
      problems.add(new Problem(dir.toString(), "", "no " + PROFILE_FILE + " found"));
    }
    Map<String, DeviceProfile> byId = new TreeMap<>();
    Map<String, Path> firstFile = new HashMap<>();
    for (Path file : files) {
      ProblemCollector fileProblems = new ProblemCollector(file.toString());
      DeviceProfile profile = parseFile(file, fileProblems);
      if (profile != null) {
        Path other = firstFile.putIfAbsent(profile.id(), file);
        if (other != null) {
          fileProblems.add("id", "duplicate profile id '" + profile.id() + "', also used by " + other);
        } else if (fileProblems.isEmpty()) {
          byId.put(profile.id(), profile);
        }
      }
      problems.addAll(fileProblems.problems());
    }
    return Collections.unmodifiableMap(byId);
  }

  /** Parses one file, reporting into {@code problems}; returns null when the header is unusable. */
  private DeviceProfile parseFile(Path file, ProblemCollector problems) {
    JsonNode root;
    try {
      root = yaml.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      problems.add("", "YAML syntax error" + where + ": " + e.getOriginalMessage());
      return null;
    } catch (IOException e) {
      problems.add("", "cannot read: " + e.getMessage());
      return null;
    }
    if (root == null || root.isMissingNode() || !root.isObject()) {
      problems.add("", "must be a YAML mapping with id, vendor, model, protocol and description");
      return null;
    }
    Set<String> allowed = new TreeSet<>(HEADER_KEYS);
    allowed.addAll(parsers.keySet());
    YamlNodes.onlyKeys(root, "", allowed, problems);
    String id = YamlNodes.requiredText(root, "id", "", problems);
    if (id != null && !ID.matcher(id).matches()) {
      problems.add("id", "must be 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
      id = null;
    }
    String vendor = YamlNodes.requiredText(root, "vendor", "", problems);
    String model = YamlNodes.requiredText(root, "model", "", problems);
    String description = YamlNodes.requiredText(root, "description", "", problems);
    Protocol protocol = null;
    if (root.get("protocol") == null) {
      problems.add("protocol", "required");
    } else {
      protocol = YamlNodes.enumValue(root.get("protocol"), "protocol", Protocol.class, problems);
    }
    if (protocol == Protocol.MQTT && !root.has("decode")) {
      problems.add("decode", "required for MQTT profiles");
    } else if (protocol != null && protocol != Protocol.MQTT && root.has("decode")) {
      problems.add("decode", "only for MQTT profiles");
    }
    Map<String, Object> sections = new LinkedHashMap<>();
    for (ProfileSectionParser<?> parser : parsers.values()) {
      JsonNode node = root.get(parser.key());
      if (node != null) {
        Object section = parser.parse(node, problems);
        if (section != null) {
          sections.put(parser.key(), section);
        }
      }
    }
    if (id == null || protocol == null) {
      return null;
    }
    return new DeviceProfile(id, vendor, model, protocol, description, file, sections);
  }
}
