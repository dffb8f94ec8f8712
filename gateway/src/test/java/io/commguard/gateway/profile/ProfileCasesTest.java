package io.commguard.gateway.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.commguard.gateway.ProfileSections;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Evidence;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.profile.codec.ProfilePayloadDecoder;
import io.commguard.gateway.source.modbus.ModbusCaseReplay;
import io.commguard.gateway.source.modbus.map.ModbusProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden test: every {@code cases/<case>/} folder of every shipped profile holds the input — one
 * {@code payload.*} file for an MQTT profile, a {@code polls.yaml} of register images for a Modbus
 * profile — and an {@code expected.yaml} listing the canonical events (or, for MQTT, the expected
 * decode error). Adding a device model or a case needs no Java. Hashes in expected files use
 * {@link #TEST_KEY} (bytes 0x00..0x1f). Format: docs/profiles.md, "Test cases".
 */
class ProfileCasesTest {
  /** The hash key cases are written against: bytes 0, 1, ..., 31. */
  static final HashKey TEST_KEY = HashKey.of(testKeyBytes());
  static final Instant DEFAULT_RECEIVED_AT = Instant.parse("2026-11-22T02:00:00Z");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static Map<String, DeviceProfile> profiles;

  static byte[] testKeyBytes() {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  static Path profilesDir() {
    return Path.of(System.getProperty("profiles.dir", "../device-profiles"));
  }

  @BeforeAll
  static void loadProfiles() {
    profiles = ProfileSections.loader().loadDirectory(profilesDir());
  }

  @Test
  void shippedProfiles_allValid() {
    assertThat(ProfileSections.loader().validateDirectory(profilesDir())).isEmpty();
  }

  static Stream<Arguments> cases() throws IOException {
    Map<String, DeviceProfile> all = ProfileSections.loader().loadDirectory(profilesDir());
    List<Arguments> out = new ArrayList<>();
    for (DeviceProfile p : all.values()) {
      Path casesDir = p.folder().resolve("cases");
      if (!Files.isDirectory(casesDir)) {
        continue;
      }
      try (Stream<Path> dirs = Files.list(casesDir)) {
        dirs.filter(Files::isDirectory).sorted().forEach(d -> out.add(Arguments.of(p.id() + "/" + d.getFileName(), p.id(), d)));
      }
    }
    return out.stream();
  }

  @Test
  void everyProfile_hasCasesAndAReadme() throws IOException {
    for (DeviceProfile p : profiles.values()) {
      assertThat(p.folder().resolve("cases")).as(p.id()).isDirectory();
      assertThat(p.folder().resolve("README.md")).as(p.id()).isRegularFile();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void caseDecodesToExpected(String name, String profileId, Path caseDir) throws Exception {
    DeviceProfile profile = profiles.get(profileId);
    if (profile.protocol() == "modbus") {
      replayRegisterImages(profile, caseDir);
      return;
    }
    Path payloadFile;
    try (Stream<Path> files = Files.list(caseDir)) {
      List<Path> payloads = files.filter(f -> f.getFileName().toString().startsWith("payload.")).toList();
      assertThat(payloads).as("exactly one payload.* in %s", caseDir).hasSize(1);
      payloadFile = payloads.get(0);
    }
    JsonNode expected = YAML.readTree(caseDir.resolve("expected.yaml").toFile());
    Instant receivedAt = expected.has("receivedAt") ? instant(expected.get("receivedAt").asText()) : DEFAULT_RECEIVED_AT;
    String topic = expected.path("topic").asText("devices/case-device/event");
    DeviceRef device = new DeviceRef("case-device", profile.id(), profile.model(), null, null);
    ProfilePayloadDecoder decoder = ProfilePayloadDecoder.create(profile, TEST_KEY, new Counters());
    byte[] payload = Files.readAllBytes(payloadFile);

    if (expected.has("error")) {
      assertThatThrownBy(() -> decoder.decode(device, topic, payload, receivedAt))
          .isInstanceOf(DecodeException.class)
          .satisfies(e -> {
            DecodeException d = (DecodeException) e;
            assertThat(d.reason()).isEqualTo(expected.get("error").get("reason").asText());
            assertThat(d.field()).isEqualTo(expected.get("error").path("field").asText(""));
          });
      return;
    }
    List<DeviceEvent> expectedEvents = new ArrayList<>();
    for (JsonNode e : expected.get("events")) {
      expectedEvents.add(event(e, device, receivedAt));
    }
    assertThat(decoder.decode(device, topic, payload, receivedAt)).containsExactlyElementsOf(expectedEvents);
  }

  /** Each expected event names the poll it comes from ({@code poll: 0} is the first). */
  private static void replayRegisterImages(DeviceProfile profile, Path caseDir) throws IOException {
    JsonNode polls = YAML.readTree(caseDir.resolve("polls.yaml").toFile()).get("polls");
    JsonNode expected = YAML.readTree(caseDir.resolve("expected.yaml").toFile());
    Instant start = expected.has("receivedAt") ? instant(expected.get("receivedAt").asText()) : DEFAULT_RECEIVED_AT;
    DeviceRef device = new DeviceRef("case-device", profile.id(), profile.model(), null, null);
    List<List<DeviceEvent>> byPoll = ModbusCaseReplay.replay(device, profile.section("modbus", ModbusProfile.class), polls, start);
    List<DeviceEvent> expectedEvents = new ArrayList<>();
    for (JsonNode e : expected.get("events")) {
      expectedEvents.add(event(e, device, start.plusSeconds(e.get("poll").asInt())));
    }
    assertThat(byPoll.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(expectedEvents);
  }

  private static DeviceEvent event(JsonNode e, DeviceRef device, Instant receivedAt) {
    CanonicalType type = CanonicalType.valueOf(e.get("type").asText());
    List<Measurement> measurements = new ArrayList<>();
    for (JsonNode m : e.path("measurements")) {
      measurements.add(new Measurement(m.get("name").asText(), m.get("value").asDouble(), m.path("unit").asText("")));
    }
    List<Evidence> evidence = new ArrayList<>();
    for (JsonNode v : e.path("evidence")) {
      evidence.add(new Evidence(v.get("kind").asText(), v.get("ref").asText()));
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    e.path("attributes").properties().forEach(a -> attributes.put(a.getKey(), a.getValue().asText()));
    return new DeviceEvent(
        device,
        EventKind.valueOf(e.get("kind").asText()),
        type,
        e.has("level") ? e.get("level").asInt() : type.defaultLevel(),
        Phase.valueOf(e.get("phase").asText()),
        e.path("nativeCode").asText(""),
        e.has("deviceTime") ? instant(e.get("deviceTime").asText()) : null,
        receivedAt,
        e.path("episodeKey").asText(""),
        measurements,
        evidence,
        attributes,
        e.path("description").asText(""));
  }

  private static Instant instant(String text) {
    return OffsetDateTime.parse(text).toInstant();
  }
}
