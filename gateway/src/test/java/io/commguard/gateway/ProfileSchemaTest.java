package io.commguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.commguard.gateway.profile.ProfileLoader;
import io.commguard.gateway.profile.ProfileSectionParser;
import io.commguard.gateway.profile.codec.Codec;
import io.commguard.gateway.profile.codec.DecodeSectionParser;
import io.commguard.gateway.rule.spec.RulesSectionParser;
import io.commguard.gateway.source.SourceType;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * schema/device-profile.schema.json (for editor completion) says what the profile loader reads:
 * the header keys, the sections (core and the built-in sources'), the sources' protocol names, the keys of the decode and rules sections and the
 * codec values; every shipped profile validates against it.
 */
class ProfileSchemaTest {
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"))
      .toAbsolutePath().normalize();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final JsonObject schema = new JsonObject(read(PROFILES.getParent().resolve("schema/device-profile.schema.json")));
  private final Validator validator = Validator.create(JsonSchema.of(schema),
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://commguard.invalid/"));

  @Test
  void keysAndValues_matchTheLoader() throws Exception {
    Set<String> top = new TreeSet<>(constant(ProfileLoader.class, "HEADER_KEYS"));
    ProfileSections.all(SourceTypes.builtIn()).stream().map(ProfileSectionParser::key).forEach(top::add);
    JsonObject properties = schema.getJsonObject("properties");
    assertThat(properties.fieldNames()).containsExactlyInAnyOrderElementsOf(top);
    assertThat(properties.getJsonObject("decode").getJsonObject("properties").fieldNames())
        .containsExactlyInAnyOrderElementsOf(constant(DecodeSectionParser.class, "KEYS"));
    assertThat(properties.getJsonObject("rules").getJsonObject("properties").fieldNames())
        .containsExactlyInAnyOrderElementsOf(constant(RulesSectionParser.class, "SECTION_KEYS"));
    for (SourceType source : SourceTypes.builtIn()) {
      assertThat(properties.getJsonObject("protocol").getJsonArray("enum").getList())
          .contains(source.name(), source.name().toUpperCase(java.util.Locale.ROOT));
    }
    for (Codec c : Codec.values()) {
      assertThat(properties.getJsonObject("decode").getJsonObject("properties").getJsonObject("codec")
          .getJsonArray("enum").getList()).contains(c.name());
    }
  }

  @Test
  void everyShippedProfile_validates() throws Exception {
    List<Path> profiles;
    try (Stream<Path> files = Files.walk(PROFILES)) {
      profiles = files.filter(p -> p.getFileName().toString().equals("profile.yaml")).sorted().toList();
    }
    assertThat(profiles).hasSizeGreaterThan(5);
    List<String> invalid = new ArrayList<>();
    for (Path profile : profiles) {
      OutputUnit result = validate(Files.readString(profile));
      if (!result.getValid()) {
        invalid.add(PROFILES.relativize(profile) + ": " + result.toJson().encode());
      }
    }
    assertThat(invalid).isEmpty();
  }

  @Test
  void aMisspelledKey_isFlagged() throws Exception {
    String profile = "id: my-sensor\nvendor: Acme\nmodel: S1\nprotocol: MQTT\ndecode: {codec: json, episodKey: x}\n";
    assertThat(validate(profile).getValid()).isFalse();
    assertThat(validate(profile.replace("episodKey", "episodeKey")).getValid()).isTrue();
  }

  private OutputUnit validate(String yaml) throws Exception {
    return validator.validate(new JsonObject(new ObjectMapper().writeValueAsString(YAML.readTree(yaml))));
  }

  @SuppressWarnings("unchecked")
  private static Collection<String> constant(Class<?> owner, String name) throws ReflectiveOperationException {
    Field field = owner.getDeclaredField(name);
    field.setAccessible(true);
    return (Collection<String>) field.get(null);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
