package io.commguard.gateway.profile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.commguard.gateway.validation.InvalidInputException;
import io.commguard.gateway.validation.Names;
import io.commguard.gateway.validation.Problem;
import io.commguard.gateway.validation.ProblemCollector;
import io.commguard.gateway.validation.YamlReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 * {@code <vendor>/<model>/profile.yaml}), or the built-in set packaged in the jar. Checks the
 * common header, rejects unknown top-level keys unless a registered {@link ProfileSectionParser}
 * owns them, and hands each section to its parser. Every problem in every file is collected before
 * anything is thrown, so the author sees them all. Blocking I/O: call at boot or from the CLI,
 * never on an event loop.
 */
public final class ProfileLoader {
  /** The file name that marks a profile; READMEs and case files beside it are not read. */
  public static final String PROFILE_FILE = "profile.yaml";
  /** How problems and {@link DeviceProfile#source()} name a built-in profile: {@code builtin:<vendor>/<model>/profile.yaml}. */
  public static final String BUILTIN_PREFIX = "builtin:";
  /** Classpath folder of the built-in profiles (the repository's device-profiles/, copied by the build). */
  static final String BUILTIN_ROOT = "device-profiles/";
  /** One path relative to {@link #BUILTIN_ROOT} per line, written by the build: a classpath cannot be listed. */
  static final String BUILTIN_INDEX = BUILTIN_ROOT + "profiles.index";

  private static final List<String> HEADER_KEYS = List.of("id", "vendor", "model", "protocol", "description");
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private final Map<String, ProfileSectionParser<?>> parsers;
  private final Map<String, String> sectionByProtocol;
  private final ObjectMapper yaml;

  /**
   * @param parsers one parser per top-level section key; keys must be distinct and not header keys
   * @param sectionByProtocol the known protocols (lower case), each with the section its profiles need
   */
  public ProfileLoader(List<ProfileSectionParser<?>> parsers, Map<String, String> sectionByProtocol) {
    this.sectionByProtocol = Collections.unmodifiableMap(new LinkedHashMap<>(sectionByProtocol));
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
   * A profile needs the section its protocol's source reads, and may not carry a section that only
   * other protocols read (it would never be used).
   */
  private void checkProtocolSections(JsonNode root, String protocol, ProblemCollector problems) {
    String needed = sectionByProtocol.get(protocol);
    if (!root.has(needed)) {
      problems.add(needed, "required for " + shown(protocol) + " profiles");
    }
    for (String other : new TreeSet<>(sectionByProtocol.values())) {
      if (!other.equals(needed) && root.has(other)) {
        List<String> users = sectionByProtocol.entrySet().stream().filter(e -> e.getValue().equals(other))
            .map(e -> shown(e.getKey())).toList();
        problems.add(other, "only for " + String.join(", ", users) + " profiles");
      }
    }
  }

  /** A protocol as profiles write it: {@code MQTT}. */
  public static String shown(String protocol) {
    return protocol.toUpperCase(java.util.Locale.ROOT);
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
  public List<Problem> validateDirectory(Path dir) {
    List<Problem> problems = new ArrayList<>();
    load(dir, problems);
    return List.copyOf(problems);
  }

  /**
   * Loads the built-in profiles packaged with the gateway (the shipped device-profiles/ tree).
   *
   * @return profiles by id, sorted by id
   * @throws InvalidInputException listing every problem, each naming its {@code builtin:} path
   */
  public Map<String, DeviceProfile> loadBuiltIn() {
    return loadBuiltIn(ProfileLoader.class.getClassLoader());
  }

  /** {@link #loadBuiltIn()} from the given class loader's {@link #BUILTIN_INDEX}. */
  Map<String, DeviceProfile> loadBuiltIn(ClassLoader classes) {
    List<Problem> problems = new ArrayList<>();
    Map<String, DeviceProfile> profiles = parseAll(builtInFiles(classes, problems), problems);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return profiles;
  }

  /** The bytes of the file a profile was loaded from (a path or a {@code builtin:} path). */
  static byte[] text(DeviceProfile profile) throws IOException {
    if (!profile.builtIn()) {
      return Files.readAllBytes(Path.of(profile.source()));
    }
    String resource = BUILTIN_ROOT + profile.source().substring(BUILTIN_PREFIX.length());
    try (InputStream in = ProfileLoader.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(resource + " not on the classpath");
      }
      return in.readAllBytes();
    }
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
    return parseAll(files.stream().map(f -> new ProfileFile(f.toString(), () -> Files.newInputStream(f))).toList(), problems);
  }

  private static List<ProfileFile> builtInFiles(ClassLoader classes, List<Problem> problems) {
    try (InputStream index = classes.getResourceAsStream(BUILTIN_INDEX)) {
      if (index == null) {
        problems.add(new Problem(BUILTIN_PREFIX + BUILTIN_INDEX, "", "missing from the classpath: the jar was built without its profiles"));
        return List.of();
      }
      List<ProfileFile> files = new ArrayList<>();
      for (String line : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
        String relative = line.strip();
        if (!relative.isEmpty()) {
          String resource = BUILTIN_ROOT + relative;
          files.add(new ProfileFile(BUILTIN_PREFIX + relative, () -> {
            InputStream in = classes.getResourceAsStream(resource);
            if (in == null) {
              throw new IOException("listed in " + BUILTIN_INDEX + " but not on the classpath");
            }
            return in;
          }));
        }
      }
      return files;
    } catch (IOException e) {
      problems.add(new Problem(BUILTIN_PREFIX + BUILTIN_INDEX, "", "cannot read: " + e.getMessage()));
      return List.of();
    }
  }

  private Map<String, DeviceProfile> parseAll(List<ProfileFile> files, List<Problem> problems) {
    Map<String, DeviceProfile> byId = new TreeMap<>();
    Map<String, String> firstFile = new HashMap<>();
    for (ProfileFile file : files) {
      ProblemCollector fileProblems = new ProblemCollector(file.name());
      DeviceProfile profile = parseFile(file, fileProblems);
      if (profile != null) {
        String other = firstFile.putIfAbsent(profile.id(), file.name());
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

  /** A profile file by the name problems give it (a path or a {@code builtin:} path) and how to read it. */
  private record ProfileFile(String name, Opener opener) {}

  @FunctionalInterface
  private interface Opener {
    InputStream open() throws IOException;
  }

  /** Parses one file, reporting into {@code problems}; returns null when the header is unusable. */
  private DeviceProfile parseFile(ProfileFile file, ProblemCollector problems) {
    JsonNode root;
    try (InputStream in = file.opener().open()) {
      root = yaml.readTree(in);
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
    YamlReader reader = new YamlReader(problems);
    Set<String> allowed = new TreeSet<>(HEADER_KEYS);
    allowed.addAll(parsers.keySet());
    reader.object(root, "", allowed);
    String id = reader.requiredString(root, "id", "");
    if (id != null && !ID.matcher(id).matches()) {
      problems.add("id", "must be 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
      id = null;
    }
    String vendor = reader.requiredString(root, "vendor", "");
    String model = reader.requiredString(root, "model", "");
    String description = reader.requiredString(root, "description", "");
    String protocol = null;
    JsonNode declared = root.get("protocol");
    if (declared == null) {
      problems.add("protocol", "required");
    } else {
      protocol = declared.isTextual() ? Names.oneOf(sectionByProtocol.keySet(), declared.asText()) : null;
      List<String> shown = sectionByProtocol.keySet().stream().map(ProfileLoader::shown).toList();
      if (protocol == null) {
        problems.add("protocol", "must be one of " + String.join(", ", shown) + ", was "
            + (declared.isTextual() ? "'" + declared.asText() + "'" + Names.didYouMean(declared.asText(), shown) : declared));
      } else {
        checkProtocolSections(root, protocol, problems);
      }
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
    return new DeviceProfile(id, vendor, model, protocol, description, file.name(), sections);
  }
}
