package io.commguard.gateway.profile.codec;

import static io.commguard.gateway.validation.YamlReader.child;
import static io.commguard.gateway.validation.YamlReader.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.privacy.PersonalData;
import io.commguard.gateway.privacy.Privacy;
import io.commguard.gateway.profile.ProfileSectionParser;
import io.commguard.gateway.profile.codec.DecodeSection.AttributeSpec;
import io.commguard.gateway.profile.codec.DecodeSection.CodeSpec;
import io.commguard.gateway.profile.codec.DecodeSection.EvidenceSpec;
import io.commguard.gateway.profile.codec.DecodeSection.MeasurementSpec;
import io.commguard.gateway.profile.codec.DecodeSection.PhaseSpec;
import io.commguard.gateway.profile.codec.DecodeSection.TimeSpec;
import io.commguard.gateway.validation.ProblemCollector;
import io.commguard.gateway.validation.YamlReader;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates the {@code decode} section of an MQTT profile into a {@link DecodeSection}.
 * Every problem is reported with its exact path (e.g. {@code decode.attributes[2].privacy}).
 * Besides syntax it enforces the privacy rule: a field whose name marks personal data may only
 * be mapped as an attribute with {@code privacy: hash} or {@code drop}, or {@code forward} with a
 * {@code justification}.
 */
public final class DecodeSectionParser implements ProfileSectionParser<DecodeSection> {
  private static final String ROOT = DecodeSection.KEY;
  private static final List<String> KEYS = List.of(
      "codec", "kv", "events", "code", "phase", "time", "episodeKey", "description", "measurements", "evidence", "attributes");
  private static final List<String> KV_KEYS = List.of("recordSeparator", "pairSeparator", "keyValueSeparator", "jsonValueKeys");
  private static final List<String> CODE_KEYS = List.of("path", "format", "parts", "joiner", "match", "table", "unknown");
  private static final List<String> PART_KEYS = List.of("path", "format");
  private static final List<String> RULE_KEYS = List.of("type", "kind", "level", "phase", "description");
  private static final List<String> UNKNOWN_KEYS = List.of("kind", "level", "phase");
  private static final List<String> PHASE_KEYS = List.of("path", "values", "default");
  private static final List<String> TIME_KEYS = List.of("path", "format", "pattern", "zone");
  private static final List<String> MEASUREMENT_KEYS = List.of("name", "path", "unit", "scale", "presence");
  private static final List<String> EVIDENCE_KEYS = List.of("kind", "path");
  private static final List<String> ATTRIBUTE_KEYS = List.of("name", "path", "privacy", "justification");

  /** How a code table is matched. */
  enum Match { EXACT, IGNORE_CASE }

  /** Whether a measurement must be present. */
  enum Presence { OPTIONAL, REQUIRED }

  @Override
  public String key() {
    return ROOT;
  }

  @Override
  public DecodeSection parse(JsonNode node, ProblemCollector problems) {
    YamlReader yaml = new YamlReader(problems);
    int before = problems.problems().size();
    if (!yaml.object(node, ROOT, KEYS)) {
      return null;
    }
    Codec codec = null;
    if (node.get("codec") == null) {
      problems.add(child(ROOT, "codec"), "required");
    } else {
      codec = yaml.enumOf(node.get("codec"), child(ROOT, "codec"), Codec.class);
    }
    KvOptions kv = kvOptions(node.get("kv"), codec, problems);
    FieldPath events = optionalPath(node, "events", ROOT, problems);
    CodeSpec code = code(node.get("code"), problems);
    PhaseSpec phase = phase(node.get("phase"), problems);
    TimeSpec time = time(node.get("time"), problems);
    Template episodeKey = template(node, "episodeKey", problems);
    Template description = template(node, "description", problems);
    List<MeasurementSpec> measurements = measurements(node.get("measurements"), problems);
    List<EvidenceSpec> evidence = evidence(node.get("evidence"), problems);
    List<AttributeSpec> attributes = attributes(node.get("attributes"), problems);
    if (problems.problems().size() > before) {
      return null;
    }
    return new DecodeSection(codec, kv, events, code, phase, time, episodeKey, description, measurements, evidence, attributes);
  }

  private static KvOptions kvOptions(JsonNode node, Codec codec, ProblemCollector problems) {
    YamlReader yaml = new YamlReader(problems);
    String path = child(ROOT, "kv");
    if (node == null) {
      return KvOptions.DEFAULTS;
    }
    if (codec != null && codec != Codec.KV) {
      problems.add(path, "only allowed with codec kv");
    }
    if (!yaml.object(node, path, KV_KEYS)) {
      return KvOptions.DEFAULTS;
    }
    String rs = separator(node, "recordSeparator", path, KvOptions.DEFAULTS.recordSeparator(), problems);
    String ps = separator(node, "pairSeparator", path, KvOptions.DEFAULTS.pairSeparator(), problems);
    String kvs = separator(node, "keyValueSeparator", path, KvOptions.DEFAULTS.keyValueSeparator(), problems);
    if (rs.equals(ps) || rs.equals(kvs) || ps.equals(kvs)) {
      problems.add(path, "recordSeparator, pairSeparator and keyValueSeparator must differ");
    }
    Set<String> jsonKeys = new HashSet<>();
    JsonNode keys = node.get("jsonValueKeys");
    if (keys != null) {
      if (!keys.isArray()) {
        problems.add(child(path, "jsonValueKeys"), "must be a list of keys");
      } else {
        for (int i = 0; i < keys.size(); i++) {
          if (!keys.get(i).isTextual() || keys.get(i).asText().isBlank()) {
            problems.add(index(child(path, "jsonValueKeys"), i), "must be a key name");
          } else {
            jsonKeys.add(keys.get(i).asText());
          }
        }
      }
    }
    return new KvOptions(rs, ps, kvs, jsonKeys);
  }

  private static String separator(JsonNode node, String key, String path, String fallback, ProblemCollector problems) {
    JsonNode v = node.get(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isTextual() || v.asText().isEmpty()) {
      problems.add(child(path, key), "must be a non-empty string");
      return fallback;
    }
    return v.asText();
  }

  // ---- code ----

  private CodeSpec code(JsonNode node, ProblemCollector problems) {
    YamlReader yaml = new YamlReader(problems);
    String path = child(ROOT, "code");
    if (node == null) {
      problems.add(path, "required");
      return null;
    }
    if (!yaml.object(node, path, CODE_KEYS)) {
      return null;
    }
    List<CodePart> parts = new ArrayList<>();
    JsonNode partsNode = node.get("parts");
    if (node.has("path") == (partsNode != null)) {
      problems.add(path, "needs exactly one of path or parts");
    } else if (partsNode == null) {
      FieldPath p = optionalPath(node, "path", path, problems);
      CodePart.Format f = yaml.enumValue(node, "format", path, CodePart.Format.class, CodePart.Format.TEXT);
      if (p != null && f != null) {
        parts.add(new CodePart(p, f));
      }
    } else if (!partsNode.isArray() || partsNode.isEmpty()) {
      problems.add(child(path, "parts"), "must be a non-empty list");
    } else {
      if (node.has("format")) {
        problems.add(child(path, "format"), "goes on each part when parts are used");
      }
      for (int i = 0; i < partsNode.size(); i++) {
        String partPath = index(child(path, "parts"), i);
        JsonNode part = partsNode.get(i);
        if (!yaml.object(part, partPath, PART_KEYS)) {
          continue;
        }
        FieldPath p = requiredPath(part, "path", partPath, problems);
        CodePart.Format f = yaml.enumValue(part, "format", partPath, CodePart.Format.class, CodePart.Format.TEXT);
        if (p != null && f != null) {
          parts.add(new CodePart(p, f));
        }
      }
    }
    String joiner = yaml.string(node, "joiner", path, "/");
    Match match = yaml.enumValue(node, "match", path, Match.class, Match.EXACT);
    boolean ignoreCase = match == Match.IGNORE_CASE;
    Map<String, CodeRule> table = table(node.get("table"), path, parts, joiner == null ? "/" : joiner, ignoreCase, problems);
    CodeRule unknown = unknown(node.get("unknown"), child(path, "unknown"), problems);
    return new CodeSpec(parts, joiner, ignoreCase, table, unknown);
  }

  private static Map<String, CodeRule> table(
      JsonNode node, String codePath, List<CodePart> parts, String joiner, boolean ignoreCase, ProblemCollector problems) {
    String path = child(codePath, "table");
    Map<String, CodeRule> table = new HashMap<>();
    if (node == null) {
      problems.add(path, "required");
      return table;
    }
    if (!node.isObject()) {
      problems.add(path, "must be a mapping from native code to type");
      return table;
    }
    for (Map.Entry<String, JsonNode> e : YamlReader.entries(node)) {
      String entryPath = child(path, e.getKey());
      String key = normaliseCode(e.getKey(), parts, joiner, entryPath, problems);
      CodeRule rule = rule(e.getValue(), entryPath, problems);
      if (key == null || rule == null) {
        continue;
      }
      if (ignoreCase) {
        key = key.toLowerCase(Locale.ROOT);
      }
      if (table.putIfAbsent(key, rule) != null) {
        problems.add(entryPath, "duplicate code (same as an earlier entry once normalised)");
      }
    }
    return table;
  }

  /** Writes a table key the way {@link ProfilePayloadDecoder} writes a decoded code, so they compare equal. */
  private static String normaliseCode(String key, List<CodePart> parts, String joiner, String path, ProblemCollector problems) {
    if (parts.size() <= 1 && (parts.isEmpty() || parts.get(0).format() == CodePart.Format.TEXT)) {
      return key;
    }
    String[] pieces = parts.size() == 1 ? new String[] {key} : key.split(java.util.regex.Pattern.quote(joiner), -1);
    if (pieces.length != parts.size()) {
      problems.add(path, "code must have " + parts.size() + " parts joined by '" + joiner + "'");
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < pieces.length; i++) {
      String piece = pieces[i].strip();
      CodePart.Format format = parts.get(i).format();
      String normal = switch (format) {
        case TEXT -> piece;
        case DECIMAL -> piece.matches("\\d{1,18}") ? Long.toString(Long.parseLong(piece)) : null;
        case HEX -> piece.matches("0[xX][0-9a-fA-F]{1,15}") ? "0x" + Long.toHexString(Long.parseLong(piece.substring(2), 16)) : null;
      };
      if (normal == null) {
        problems.add(path, "part " + (i + 1) + " must be " + (format == CodePart.Format.HEX ? "hex written 0x.." : "a decimal integer"));
        return null;
      }
      b.append(i == 0 ? "" : joiner).append(normal);
    }
    return b.toString();
  }

  private static CodeRule rule(JsonNode node, String path, ProblemCollector problems) {
    YamlReader yaml = new YamlReader(problems);
    if (node.isTextual()) {
      CanonicalType type = yaml.enumOf(node, path, CanonicalType.class);
      return type == null ? null : new CodeRule(type, CodeRule.defaultKind(type), type.defaultLevel(), null, null);
    }
    if (!yaml.object(node, path, RULE_KEYS)) {
      return null;
    }
    if (node.get("type") == null) {
      problems.add(child(path, "type"), "required");
      return null;
    }
    CanonicalType type = yaml.enumOf(node.get("type"), child(path, "type"), CanonicalType.class);
    if (type == null) {
      return null;
    }
    EventKind kind = yaml.enumValue(node, "kind", path, EventKind.class, CodeRule.defaultKind(type));
    Integer level = yaml.integer(node, "level", path, type.defaultLevel(), 1, 4);
    Phase phase = yaml.enumValue(node, "phase", path, Phase.class, null);
    String description = yaml.string(node, "description", path, null);
    if (kind == null || level == null) {
      return null;
    }
    return new CodeRule(type, kind, level, phase, description);
  }

  private static CodeRule unknown(JsonNode node, String path, ProblemCollector problems) {
    YamlReader yaml = new YamlReader(problems);
    CodeRule fallback = new CodeRule(CanonicalType.UNKNOWN, EventKind.ALARM, CanonicalType.UNKNOWN.defaultLevel(), null, null);
    if (node == null || !yaml.object(node, path, UNKNOWN_KEYS)) {
      return fallback;
    }
    EventKind kind = yaml.enumValue(node, "kind", path, EventKind.class, fallback.kind());
    Integer level = yaml.integer(node, "level", path, fallback.level(), 1, 4);
    Phase phase = yaml.enumValue(node, "phase", path, Phase.class, null);
    return kind == null || level == null ? fallback : new CodeRule(CanonicalType.UNKNOWN, kind, level, phase, null);
  }

  // ---- phase and time ----

  private static PhaseSpec phase(JsonNode node, ProblemCollector problems) {
    YamlReader yaml = new YamlReader(problems);
    String path = child(ROOT, "phase");
    if (node == null || !yaml.object(node, path, PHASE_KEYS)) {
      return null;
    }
    FieldPath p = requiredPath(node, "path", path, problems);
    Map<String, Phase> values = new HashMap<>();
    JsonNode v = node.get("values");
    if (v == null || !v.isObject() || v.isEmpty()) {
      problems.add(child(path, "values"), "required: a mapping from payload value to ACTIVE, INACTIVE or PULSE");
    } else {
      for (Map.Entry<String, JsonNode> e : YamlReader.entries(v)) {
        Phase ph = yaml.enumOf(e.getValue(), child(child(path, "values"), e.getKey()), Phase.class);
        if (ph != null && values.put(e.getKey().toLowerCase(Locale.ROOT), ph) != null) {
          problems.add(child(child(path, "values"), e.getKey()), "duplicate value (values are matched ignoring case)");
        }
      }
    }
    Phase fallback = yaml.enumValue(node, "default", path, Phase.class, Phase.PULSE);
    return p == null || fallback == null ? null : new PhaseSpec(p, values, fallback);
  }

  private static TimeSpec time(JsonNode node, ProblemCollector problems) {
    YamlReader yaml = new YamlReader(problems);
    String path = child(ROOT, "time");
    if (node == null || !yaml.object(node, path, TIME_KEYS)) {
      return null;
    }
    FieldPath p = requiredPath(node, "path", path, problems);
    TimeFormat format = yaml.enumValue(node, "format", path, TimeFormat.class, TimeFormat.ISO8601);
    String pattern = yaml.string(node, "pattern", path, null);
    DateTimeFormatter formatter = null;
    if (format == TimeFormat.PATTERN) {
      if (pattern == null) {
        problems.add(child(path, "pattern"), "required with format pattern");
      } else {
        try {
          formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
        } catch (IllegalArgumentException e) {
          problems.add(child(path, "pattern"), "not a valid date-time pattern: " + e.getMessage());
        }
      }
      if (!node.has("zone")) {
        problems.add(child(path, "zone"), "required with format pattern (e.g. +08:00 or Asia/Shanghai)");
      }
    } else if (pattern != null) {
      problems.add(child(path, "pattern"), "only allowed with format pattern");
    }
    ZoneId zone = null;
    String zoneText = yaml.string(node, "zone", path, null);
    if (zoneText != null) {
      try {
        zone = ZoneId.of(zoneText);
      } catch (DateTimeException e) {
        problems.add(child(path, "zone"), "not a zone id or offset (e.g. +08:00, Asia/Shanghai)");
      }
    }
    return p == null || format == null ? null : new TimeSpec(p, format, formatter, zone);
  }

  // ---- lists ----

  private static List<MeasurementSpec> measurements(JsonNode node, ProblemCollector problems) {
    YamlReader yaml = new YamlReader(problems);
    String path = child(ROOT, "measurements");
    List<MeasurementSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; node != null && i < listSize(node, path, problems); i++) {
      String itemPath = index(path, i);
      JsonNode item = node.get(i);
      if (!yaml.object(item, itemPath, MEASUREMENT_KEYS)) {
        continue;
      }
      String name = yaml.requiredString(item, "name", itemPath);
      FieldPath p = requiredPath(item, "path", itemPath, problems);
      String unit = yaml.string(item, "unit", itemPath, "");
      Double scale = item.has("scale") ? yaml.number(item, "scale", itemPath) : Double.valueOf(1.0);
      Presence presence = yaml.enumValue(item, "presence", itemPath, Presence.class, Presence.OPTIONAL);
      if (name != null && !names.add(name)) {
        problems.add(child(itemPath, "name"), "duplicate measurement name");
      }
      if (p != null) {
        rejectPersonal(p, child(itemPath, "path"), "a measurement", problems);
      }
      if (name != null && p != null && scale != null && presence != null) {
        out.add(new MeasurementSpec(name, p, unit, scale, presence == Presence.REQUIRED));
      }
    }
    return out;
  }

  private static List<EvidenceSpec> evidence(JsonNode node, ProblemCollector problems) {
    YamlReader yaml = new YamlReader(problems);
    String path = child(ROOT, "evidence");
    List<EvidenceSpec> out = new ArrayList<>();
    for (int i = 0; node != null && i < listSize(node, path, problems); i++) {
      String itemPath = index(path, i);
      JsonNode item = node.get(i);
      if (!yaml.object(item, itemPath, EVIDENCE_KEYS)) {
        continue;
      }
      String kind = yaml.string(item, "kind", itemPath, "image");
      FieldPath p = requiredPath(item, "path", itemPath, problems);
      if (p != null) {
        rejectPersonal(p, child(itemPath, "path"), "evidence", problems);
        out.add(new EvidenceSpec(kind, p));
      }
    }
    return out;
  }

  private static List<AttributeSpec> attributes(JsonNode node, ProblemCollector problems) {
    YamlReader yaml = new YamlReader(problems);
    String path = child(ROOT, "attributes");
    List<AttributeSpec> out = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; node != null && i < listSize(node, path, problems); i++) {
      String itemPath = index(path, i);
      JsonNode item = node.get(i);
      if (!yaml.object(item, itemPath, ATTRIBUTE_KEYS)) {
        continue;
      }
      String name = yaml.requiredString(item, "name", itemPath);
      FieldPath p = requiredPath(item, "path", itemPath, problems);
      Privacy privacy = yaml.enumValue(item, "privacy", itemPath, Privacy.class, Privacy.FORWARD);
      String justification = yaml.string(item, "justification", itemPath, null);
      if (name != null && !names.add(name)) {
        problems.add(child(itemPath, "name"), "duplicate attribute name");
      }
      if (justification != null && privacy != Privacy.FORWARD) {
        problems.add(child(itemPath, "justification"), "only used with privacy: forward");
      }
      if (privacy == Privacy.FORWARD && justification == null && p != null && name != null) {
        boolean personal = PersonalData.isPersonal(name) || p.lastNames().stream().anyMatch(PersonalData::isPersonal);
        if (personal) {
          problems.add(child(itemPath, "privacy"),
              "personal data must be privacy: hash or drop (or forward with a justification)");
        }
      }
      if (name != null && p != null && privacy != null) {
        out.add(new AttributeSpec(name, p, privacy));
      }
    }
    return out;
  }

  private static int listSize(JsonNode node, String path, ProblemCollector problems) {
    if (!node.isArray()) {
      problems.add(path, "must be a list");
      return 0;
    }
    return node.size();
  }

  // ---- paths and templates ----

  private static FieldPath requiredPath(JsonNode node, String key, String path, ProblemCollector problems) {
    if (node.get(key) == null) {
      problems.add(child(path, key), "required");
      return null;
    }
    return optionalPath(node, key, path, problems);
  }

  private static FieldPath optionalPath(JsonNode node, String key, String path, ProblemCollector problems) {
    YamlReader yaml = new YamlReader(problems);
    String text = yaml.string(node, key, path, null);
    if (text == null) {
      return null;
    }
    try {
      return FieldPath.compile(text);
    } catch (IllegalArgumentException e) {
      problems.add(child(path, key), e.getMessage());
      return null;
    }
  }

  private static Template template(JsonNode node, String key, ProblemCollector problems) {
    YamlReader yaml = new YamlReader(problems);
    String text = yaml.string(node, key, ROOT, null);
    if (text == null) {
      return null;
    }
    try {
      Template t = Template.compile(text);
      for (FieldPath p : t.paths()) {
        rejectPersonal(p, child(ROOT, key), "a template", problems);
      }
      return t;
    } catch (IllegalArgumentException e) {
      problems.add(child(ROOT, key), e.getMessage());
      return null;
    }
  }

  /** Personal data may travel only through an attribute with an explicit privacy choice. */
  private static void rejectPersonal(FieldPath p, String path, String where, ProblemCollector problems) {
    for (String name : p.lastNames()) {
      if (PersonalData.isPersonal(name)) {
        problems.add(path, "personal data field '" + name + "' cannot be used in " + where
            + "; map it as an attribute with privacy: hash or drop");
        return;
      }
    }
  }
}
