package io.commguard.gateway.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.commguard.gateway.ProfileSections;
import io.commguard.gateway.SourceTypes;
import io.commguard.gateway.source.SourceType;
import io.commguard.gateway.validation.InvalidInputException;
import io.commguard.gateway.validation.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven: a bad profile snippet gives exactly the expected problem path and reason. */
class ProfileValidationTest {
  private static final String HEADER = """
      id: test-camera
      vendor: Test
      model: T-1
      protocol: MQTT
      description: A test camera
      """;
  private static final String DECODE = """
      decode:
        codec: json
        code:
          path: eventType
          table:
            fire: FIRE_SMOKE
      """;

  @TempDir Path dir;

  private List<Problem> validate(String yaml) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("test/t-1"));
    Files.writeString(folder.resolve("profile.yaml"), yaml);
    return ProfileSections.loader().validateDirectory(dir);
  }

  static Stream<Arguments> badProfiles() {
    return Stream.of(
        // header
        Arguments.of("missing id", HEADER.replace("id: test-camera\n", "") + DECODE, "id", "required"),
        Arguments.of("bad id", HEADER.replace("test-camera", "Test Camera") + DECODE, "id",
            "must be 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"),
        Arguments.of("missing vendor", HEADER.replace("vendor: Test\n", "") + DECODE, "vendor", "required"),
        Arguments.of("blank model", HEADER.replace("model: T-1", "model: ' '") + DECODE, "model", "must not be blank"),
        Arguments.of("bad protocol", HEADER.replace("protocol: MQTT", "protocol: HTTP") + DECODE, "protocol",
            "must be one of " + protocols(t -> true) + ", was 'HTTP'"),
        Arguments.of("unknown top-level key", HEADER + DECODE + "colour: red\n", "colour",
            "unknown key; allowed: decode, description, heartbeat, id, modbus, model, protocol, rules, vendor"),
        Arguments.of("mqtt without decode", HEADER, "decode", "required for MQTT profiles"),
        Arguments.of("decode in a modbus profile", HEADER.replace("protocol: MQTT", "protocol: modbus") + DECODE, "decode",
            "only for " + protocols(t -> t.profileSection().equals("decode")) + " profiles"),
        // decode basics
        Arguments.of("missing codec", HEADER + DECODE.replace("  codec: json\n", ""), "decode.codec", "required"),
        Arguments.of("bad codec", HEADER + DECODE.replace("codec: json", "codec: csv"), "decode.codec",
            "must be one of JSON, XML, KV, AUTO, was 'csv'"),
        Arguments.of("unknown decode key", HEADER + DECODE + "  mapping: {}\n", "decode.mapping",
            "unknown key; allowed: attributes, code, codec, description, episodeKey, events, evidence, kv, measurements, phase, time"),
        Arguments.of("kv options with json", HEADER + DECODE + "  kv: { pairSeparator: \"\\t\" }\n", "decode.kv",
            "only allowed with codec kv"),
        Arguments.of("kv same separators", HEADER + DECODE.replace("codec: json", "codec: kv") + "  kv: { pairSeparator: \"=\" }\n",
            "decode.kv", "recordSeparator, pairSeparator and keyValueSeparator must differ"),
        // code
        Arguments.of("missing code", HEADER + "decode:\n  codec: json\n", "decode.code", "required"),
        Arguments.of("code without table", HEADER + "decode:\n  codec: json\n  code: { path: x }\n", "decode.code.table", "required"),
        Arguments.of("code path and parts", HEADER + DECODE.replace("path: eventType", "path: eventType\n    parts: [{path: a}]"),
            "decode.code", "needs exactly one of path or parts"),
        Arguments.of("bad path syntax", HEADER + DECODE.replace("path: eventType", "path: a[x]"), "decode.code.path",
            "array index must be a number in path 'a[x]'"),
        Arguments.of("unknown canonical type", HEADER + DECODE.replace("fire: FIRE_SMOKE", "fire: FIRE"), "decode.code.table.fire",
            "must be one of " + typeNames() + ", was 'FIRE'"),
        Arguments.of("level out of range", HEADER + DECODE.replace("fire: FIRE_SMOKE", "fire: { type: FIRE_SMOKE, level: 5 }"),
            "decode.code.table.fire.level", "must be an integer from 1 to 4, was 5"),
        Arguments.of("rule without type", HEADER + DECODE.replace("fire: FIRE_SMOKE", "fire: { level: 1 }"),
            "decode.code.table.fire.type", "required"),
        Arguments.of("composite code wrong arity", HEADER + """
            decode:
              codec: json
              code:
                parts: [ { path: major, format: decimal }, { path: minor, format: hex } ]
                table:
                  "5": DOOR_FORCED
            """, "decode.code.table.5", "code must have 2 parts joined by '/'"),
        Arguments.of("composite code hex without 0x", HEADER + """
            decode:
              codec: json
              code:
                parts: [ { path: major, format: decimal }, { path: minor, format: hex } ]
                table:
                  "5/1b": DOOR_FORCED
            """, "decode.code.table[\"5/1b\"]", "part 2 must be hex written 0x.."),
        Arguments.of("duplicate code once normalised", HEADER + """
            decode:
              codec: json
              code:
                parts: [ { path: major, format: decimal }, { path: minor, format: hex } ]
                table:
                  "5/0x1b": DOOR_FORCED
                  "5/0x1B": DOOR_FORCED
            """, "decode.code.table[\"5/0x1B\"]", "duplicate code (same as an earlier entry once normalised)"),
        // phase, time
        Arguments.of("bad phase value", HEADER + DECODE + "  phase: { path: state, values: { on: STARTED } }\n",
            "decode.phase.values.on", "must be one of ACTIVE, INACTIVE, PULSE, was 'STARTED'"),
        Arguments.of("pattern without pattern", HEADER + DECODE + "  time: { path: t, format: pattern, zone: '+08:00' }\n",
            "decode.time.pattern", "required with format pattern"),
        Arguments.of("pattern without zone", HEADER + DECODE + "  time: { path: t, format: pattern, pattern: 'yyyy-MM-dd HH:mm:ss' }\n",
            "decode.time.zone", "required with format pattern (e.g. +08:00 or Asia/Shanghai)"),
        Arguments.of("bad zone", HEADER + DECODE + "  time: { path: t, zone: Mars/Olympus }\n",
            "decode.time.zone", "not a zone id or offset (e.g. +08:00, Asia/Shanghai)"),
        Arguments.of("bad time format", HEADER + DECODE + "  time: { path: t, format: rfc822 }\n",
            "decode.time.format", "must be one of ISO8601, EPOCH_MILLIS, EPOCH_SECONDS, PATTERN, was 'rfc822'"),
        // lists
        Arguments.of("measurement without path", HEADER + DECODE + "  measurements:\n    - { name: c }\n    - { name: d }\n",
            "decode.measurements[0].path", "required"),
        Arguments.of("measurement bad presence", HEADER + DECODE + "  measurements:\n    - { name: c, path: c, presence: always }\n",
            "decode.measurements[0].presence", "must be one of OPTIONAL, REQUIRED, was 'always'"),
        Arguments.of("attributes not a list", HEADER + DECODE + "  attributes: { a: b }\n", "decode.attributes", "must be a list"),
        Arguments.of("duplicate attribute", HEADER + DECODE + "  attributes:\n    - { name: a, path: x }\n    - { name: a, path: y }\n",
            "decode.attributes[1].name", "duplicate attribute name"),
        Arguments.of("unclosed template", HEADER + DECODE + "  episodeKey: 'ch{channel'\n", "decode.episodeKey", "unclosed '{' in template"),
        // privacy
        Arguments.of("card number forwarded in clear", HEADER + DECODE
                + "  attributes:\n    - { name: door, path: e.doorNo }\n    - { name: door2, path: e.doorNo2 }\n    - { name: card, path: e.cardNo }\n",
            "decode.attributes[2].privacy", "personal data must be privacy: hash or drop (or forward with a justification)"),
        Arguments.of("personal output name", HEADER + DECODE + "  attributes:\n    - { name: phone, path: e.contact }\n",
            "decode.attributes[0].privacy", "personal data must be privacy: hash or drop (or forward with a justification)"),
        Arguments.of("face image as evidence", HEADER + DECODE + "  evidence:\n    - { path: faceImageUrl }\n",
            "decode.evidence[0].path", "personal data field 'faceImageUrl' cannot be used in evidence; map it as an attribute with privacy: hash or drop"),
        Arguments.of("id number in template", HEADER + DECODE + "  description: 'visitor {person.idNumber}'\n",
            "decode.description", "personal data field 'idNumber' cannot be used in a template; map it as an attribute with privacy: hash or drop"),
        Arguments.of("justification without forward", HEADER + DECODE
                + "  attributes:\n    - { name: card, path: cardNo, privacy: hash, justification: because }\n",
            "decode.attributes[0].justification", "only used with privacy: forward"),
        Arguments.of("bad privacy", HEADER + DECODE + "  attributes:\n    - { name: card, path: cardNo, privacy: mask }\n",
            "decode.attributes[0].privacy", "must be one of FORWARD, HASH, DROP, was 'mask'"));
  }

  /** The protocols the shipped sources register, as the loader names them: a new source changes no expectation here. */
  private static String protocols(Predicate<SourceType> which) {
    return SourceTypes.builtIn().stream().filter(which).map(t -> t.name().toUpperCase(Locale.ROOT)).collect(Collectors.joining(", "));
  }

  private static String typeNames() {
    StringBuilder b = new StringBuilder();
    for (var t : io.commguard.gateway.model.CanonicalType.values()) {
      b.append(b.length() == 0 ? "" : ", ").append(t.name());
    }
    return b.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badProfiles")
  void badProfile_reportsExactPathAndReason(String name, String yaml, String path, String reason) throws IOException {
    List<Problem> problems = validate(yaml);
    assertThat(problems).extracting(Problem::path, Problem::reason).contains(org.assertj.core.groups.Tuple.tuple(path, reason));
    assertThat(problems).allSatisfy(p -> assertThat(p.file()).endsWith("profile.yaml"));
  }

  @Test
  void validProfile_hasNoProblems() throws IOException {
    assertThat(validate(HEADER + DECODE)).isEmpty();
  }

  @Test
  void personalField_forwardWithJustification_isAccepted() throws IOException {
    assertThat(validate(HEADER + DECODE
        + "  attributes:\n    - { name: ruleName, path: data.Name, privacy: forward, justification: rule name set by the installer }\n"))
        .isEmpty();
  }

  @Test
  void allProblemsOfAFile_reportedTogether() throws IOException {
    List<Problem> problems = validate(HEADER.replace("vendor: Test\n", "") + DECODE.replace("codec: json", "codec: csv") + "extra: 1\n");
    assertThat(problems).extracting(Problem::path).containsExactlyInAnyOrder("extra", "vendor", "decode.codec");
  }

  @Test
  void yamlSyntaxError_reportsFileAndLine() throws IOException {
    List<Problem> problems = validate(HEADER + "decode:\n  codec: json\n   code: [unclosed\n");
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).file()).endsWith("test/t-1/profile.yaml");
    assertThat(problems.get(0).reason()).startsWith("YAML syntax error at line 8");
  }

  @Test
  void duplicateYamlKey_isAnError() throws IOException {
    List<Problem> problems = validate(HEADER + DECODE + "vendor: Other\n");
    assertThat(problems).singleElement().satisfies(p -> assertThat(p.reason()).contains("Duplicate field 'vendor'"));
  }

  @Test
  void duplicateIdAcrossFiles_namesBothFiles() throws IOException {
    Path a = Files.createDirectories(dir.resolve("a/one"));
    Path b = Files.createDirectories(dir.resolve("b/two"));
    Files.writeString(a.resolve("profile.yaml"), HEADER + DECODE);
    Files.writeString(b.resolve("profile.yaml"), HEADER + DECODE);
    List<Problem> problems = ProfileSections.loader().validateDirectory(dir);
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.file()).endsWith("b/two/profile.yaml");
      assertThat(p.path()).isEqualTo("id");
      assertThat(p.reason()).startsWith("duplicate profile id 'test-camera', also used by ").endsWith("a/one/profile.yaml");
    });
  }

  @Test
  void loadDirectory_throwsWithEveryProblem_andLoadsValidOnes() throws IOException {
    Files.writeString(Files.createDirectories(dir.resolve("a/one")).resolve("profile.yaml"), HEADER + DECODE);
    Files.writeString(Files.createDirectories(dir.resolve("b/two")).resolve("profile.yaml"),
        HEADER.replace("test-camera", "other") + "decode: {}\n");
    ProfileLoader loader = ProfileSections.loader();
    assertThatThrownBy(() -> loader.loadDirectory(dir))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).problems()).extracting(Problem::path)
            .containsExactlyInAnyOrder("decode.codec", "decode.code"));
    Files.delete(dir.resolve("b/two/profile.yaml"));
    DeviceProfile p = loader.loadDirectory(dir).get("test-camera");
    assertThat(p.protocol()).isEqualTo("mqtt");
    assertThat(p.section("decode", io.commguard.gateway.profile.codec.DecodeSection.class)).isNotNull();
    assertThat(p.section("rules", Object.class)).isNull();
  }

  @Test
  void missingDirectory_isAProblem() {
    assertThat(ProfileSections.loader().validateDirectory(dir.resolve("nope")))
        .extracting(Problem::reason).containsExactly("profiles directory does not exist");
  }
}
