package io.commguard.gateway.profile.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.profile.DecodeException;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.validation.ProblemCollector;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProfilePayloadDecoderTest {
  private static final DeviceRef DEVICE = new DeviceRef("dev-1", "p", "m", null, null);
  private static final Instant RECEIVED = Instant.parse("2026-11-22T00:00:00Z");
  private static final HashKey KEY = HashKey.of(new byte[32]);

  private final Counters counters = new Counters();

  private ProfilePayloadDecoder decoder(String decodeYaml) throws Exception {
    var node = new ObjectMapper(new YAMLFactory()).readTree(decodeYaml);
    ProblemCollector problems = new ProblemCollector("test");
    DecodeSection section = new DecodeSectionParser().parse(node, problems);
    assertThat(problems.problems()).isEmpty();
    DeviceProfile profile = new DeviceProfile("p", "v", "m", "mqtt", "d", null, Map.of("decode", section));
    return ProfilePayloadDecoder.create(profile, KEY, counters);
  }

  private static List<DeviceEvent> decode(ProfilePayloadDecoder d, String payload) throws DecodeException {
    return d.decode(DEVICE, "t", payload.getBytes(StandardCharsets.UTF_8), RECEIVED);
  }

  private static final String ACCESS = """
      codec: json
      code:
        parts: [ { path: e.major, format: decimal }, { path: e.minor, format: hex } ]
        table:
          "5/0x1B": { type: DOOR_FORCED, phase: PULSE }
          "05/0x4b": ACCESS_GRANTED
        unknown: { kind: STATUS, level: 3 }
      """;

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "{\"e\":{\"major\":5,\"minor\":27}}; 5/0x1b; DOOR_FORCED; ALARM; 2",
      "{\"e\":{\"major\":\"5\",\"minor\":\"0x1B\"}}; 5/0x1b; DOOR_FORCED; ALARM; 2",
      "{\"e\":{\"major\":5,\"minor\":75}}; 5/0x4b; ACCESS_GRANTED; ACCESS; 4",
      "{\"e\":{\"major\":2,\"minor\":1033}}; 2/0x409; UNKNOWN; STATUS; 3"})
  void compositeCode_normalisedAndMapped(String payload, String nativeCode, CanonicalType type, EventKind kind, int level) throws Exception {
    DeviceEvent e = decode(decoder(ACCESS), payload).get(0);
    assertThat(e.nativeCode()).isEqualTo(nativeCode);
    assertThat(e.type()).isEqualTo(type);
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.level()).isEqualTo(level);
  }

  @Test
  void unknownCode_travelsAsUnknown_andIsCounted() throws Exception {
    ProfilePayloadDecoder d = decoder(ACCESS);
    decode(d, "{\"e\":{\"major\":9,\"minor\":1}}");
    decode(d, "{\"e\":{\"major\":9,\"minor\":2}}");
    decode(d, "{\"e\":{\"major\":5,\"minor\":27}}");
    assertThat(counters.get("decode_unknown_code", "dev-1", "unmapped")).isEqualTo(2);
  }

  @Test
  void ignoreCaseTable_keepsNativeCodeAsSent() throws Exception {
    ProfilePayloadDecoder d = decoder("codec: json\ncode: { path: t, match: ignoreCase, table: { fieldDetection: PERIMETER_INTRUSION } }\n");
    DeviceEvent e = decode(d, "{\"t\":\"FIELDDETECTION\"}").get(0);
    assertThat(e.type()).isEqualTo(CanonicalType.PERIMETER_INTRUSION);
    assertThat(e.nativeCode()).isEqualTo("FIELDDETECTION");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "format: iso8601; \"2026-11-22T10:00:00+08:00\"; 2026-11-22T02:00:00Z",
      "format: iso8601, zone: '+08:00'; \"2026-11-22T10:00:00\"; 2026-11-22T02:00:00Z",
      "format: iso8601; \"2026-11-22T02:00:00.250Z\"; 2026-11-22T02:00:00.250Z",
      "format: epochMillis; 1795312800123; 2026-11-22T02:00:00.123Z",
      "format: epochMillis; \"1795312800123\"; 2026-11-22T02:00:00.123Z",
      "format: epochSeconds; 1795312800; 2026-11-22T02:00:00Z",
      "format: epochSeconds; 1795312800.5; 2026-11-22T02:00:00.500Z",
      "format: pattern, pattern: 'yyyy-MM-dd HH:mm:ss', zone: Asia/Shanghai; \"2026-11-22 10:00:00\"; 2026-11-22T02:00:00Z",
      "format: pattern, pattern: 'yyyyMMddHHmmssXXX', zone: UTC; \"20261122100000+08:00\"; 2026-11-22T02:00:00Z"})
  void timeFormats(String spec, String value, String expected) throws Exception {
    ProfilePayloadDecoder d = decoder("codec: json\ncode: { path: c, table: { x: MOTION } }\ntime: { path: t, " + spec + " }\n");
    assertThat(decode(d, "{\"c\":\"x\",\"t\":" + value + "}").get(0).deviceTime()).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "format: iso8601; \"yesterday\"",
      "format: iso8601; \"2026-11-22T10:00:00\"",
      "format: epochMillis; \"soon\"",
      "format: pattern, pattern: 'yyyy-MM-dd HH:mm:ss', zone: UTC; \"22/11/2026\""})
  void badTime_isDecodeError(String spec, String value) throws Exception {
    ProfilePayloadDecoder d = decoder("codec: json\ncode: { path: c, table: { x: MOTION } }\ntime: { path: t, " + spec + " }\n");
    assertThatThrownBy(() -> decode(d, "{\"c\":\"x\",\"t\":" + value + "}"))
        .isInstanceOf(DecodeException.class)
        .satisfies(e -> assertThat(((DecodeException) e).field()).isEqualTo("t"))
        .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("bad_time"));
  }

  @Test
  void missingTime_usesReceiveTime() throws Exception {
    ProfilePayloadDecoder d = decoder("codec: json\ncode: { path: c, table: { x: MOTION } }\ntime: { path: t }\n");
    assertThat(decode(d, "{\"c\":\"x\"}").get(0).deviceTime()).isEqualTo(RECEIVED);
  }

  @Test
  void phase_fromField_fromCodeRule_andDefault() throws Exception {
    ProfilePayloadDecoder d = decoder("""
        codec: json
        code: { path: c, table: { x: MOTION, p: { type: MOTION, phase: PULSE } } }
        phase: { path: s, values: { Start: ACTIVE, Stop: INACTIVE }, default: ACTIVE }
        """);
    assertThat(decode(d, "{\"c\":\"x\",\"s\":\"stop\"}").get(0).phase()).isEqualTo(Phase.INACTIVE);
    assertThat(decode(d, "{\"c\":\"x\"}").get(0).phase()).isEqualTo(Phase.ACTIVE);
    assertThat(decode(d, "{\"c\":\"p\",\"s\":\"Start\"}").get(0).phase()).isEqualTo(Phase.PULSE);
    assertThatThrownBy(() -> decode(d, "{\"c\":\"x\",\"s\":\"maybe\"}")).hasMessageContaining("bad_value at s");
  }

  @Test
  void measurements_scaledWithUnits_requiredAndWrongType() throws Exception {
    ProfilePayloadDecoder d = decoder("""
        codec: json
        code: { path: c, table: { x: READING } }
        measurements:
          - { name: conc, path: v.raw, unit: "%LEL", scale: 0.1, presence: required }
          - { name: battery, path: b, unit: "%" }
        """);
    DeviceEvent e = decode(d, "{\"c\":\"x\",\"v\":{\"raw\":235}}").get(0);
    assertThat(e.measurements()).singleElement().satisfies(m -> {
      assertThat(m.name()).isEqualTo("conc");
      assertThat(m.value()).isCloseTo(23.5, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(m.unit()).isEqualTo("%LEL");
    });
    assertThat(e.kind()).isEqualTo(EventKind.TELEMETRY);
    assertThatThrownBy(() -> decode(d, "{\"c\":\"x\"}")).hasMessage("missing_field at v.raw");
    assertThatThrownBy(() -> decode(d, "{\"c\":\"x\",\"v\":{\"raw\":[1]}}")).hasMessage("wrong_type at v.raw: expected a number");
    assertThatThrownBy(() -> decode(d, "{\"c\":\"x\",\"v\":{\"raw\":235},\"b\":true}")).hasMessage("wrong_type at b: expected a number");
  }

  @Test
  void codeOfWrongType_isDecodeError() throws Exception {
    ProfilePayloadDecoder d = decoder("codec: json\ncode: { path: c, table: { x: MOTION } }\n");
    assertThatThrownBy(() -> decode(d, "{\"c\":{\"nested\":1}}")).hasMessage("wrong_type at c: expected a scalar");
    assertThatThrownBy(() -> decode(d, "[1,2]")).hasMessage("missing_field at c");
  }

  @Test
  void privacy_hashDropForward_andNothingUnmappedLeaks() throws Exception {
    ProfilePayloadDecoder d = decoder("""
        codec: json
        code: { path: c, table: { x: ACCESS_GRANTED } }
        attributes:
          - { name: door, path: door }
          - { name: cardNo, path: cardNo, privacy: hash }
          - { name: name, path: name, privacy: drop }
        """);
    DeviceEvent e = decode(d, "{\"c\":\"x\",\"door\":2,\"cardNo\":\"3204871234\",\"name\":\"Zhang San\",\"idNumber\":\"310101199001011234\"}").get(0);
    assertThat(e.attributes()).containsOnlyKeys("door", "cardNo", HashKey.ID_ATTRIBUTE);
    assertThat(e.attributes().get("cardNo")).isEqualTo(KEY.hash("3204871234")).hasSize(32).isNotEqualTo("3204871234");
    assertThat(e.attributes()).as("which key made the hash").containsEntry(HashKey.ID_ATTRIBUTE, KEY.id());
    assertThat(e.toString()).doesNotContain("Zhang", "3204871234", "310101199001011234");
  }

  @Test
  void inlineImageData_neverForwarded_andCounted() throws Exception {
    ProfilePayloadDecoder d = decoder("""
        codec: json
        code: { path: c, table: { x: FIRE_SMOKE } }
        evidence: [ { kind: image, path: pics } ]
        attributes: [ { name: snapshot, path: snap } ]
        """);
    String base64 = "A".repeat(5000);
    DeviceEvent e = decode(d, "{\"c\":\"x\",\"pics\":[\"http://cam/1.jpg\",\"data:image/jpeg;base64,AAAA\",\"" + base64 + "\",\"cam-img-42\"],\"snap\":\"" + base64 + "\"}").get(0);
    assertThat(e.evidence()).extracting(ev -> ev.ref()).containsExactly("http://cam/1.jpg", "cam-img-42");
    assertThat(e.attributes()).isEmpty();
    assertThat(counters.get("decode_dropped_field", "dev-1", "inline_data")).isEqualTo(3);
  }

  @Test
  void eventsPath_splitsOneMessageIntoSeveralEvents() throws Exception {
    ProfilePayloadDecoder d = decoder("codec: json\nevents: list\ncode: { path: c, table: { x: MOTION } }\nepisodeKey: 'ch{ch}'\n");
    List<DeviceEvent> events = decode(d, "{\"list\":[{\"c\":\"x\",\"ch\":1},{\"c\":\"y\",\"ch\":2}]}");
    assertThat(events).extracting(DeviceEvent::nativeCode, DeviceEvent::episodeKey)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("x", "ch1"), org.assertj.core.groups.Tuple.tuple("y", "ch2"));
    assertThat(decode(d, "{\"list\":[]}")).isEmpty();
    assertThatThrownBy(() -> decode(d, "{}")).hasMessage("missing_field at list");
  }

  @Test
  void decodeErrors_neverCarryPayloadValues() throws Exception {
    ProfilePayloadDecoder d = decoder("""
        codec: json
        code: { path: c, table: { x: MOTION } }
        phase: { path: s, values: { on: ACTIVE } }
        time: { path: t }
        measurements: [ { name: v, path: v } ]
        """);
    String secret = "310101199001011234";
    for (String payload : List.of(
        "{\"c\":\"x\",\"s\":\"" + secret + "\"}",
        "{\"c\":\"x\",\"t\":\"" + secret + "\"}",
        "{\"c\":\"x\",\"v\":\"" + secret + "x\"}",
        "{\"c\":\"x\",\"v\":" + secret + "x}",
        "{\"c\":" + secret + "abc}")) {
      assertThatThrownBy(() -> decode(d, payload)).isInstanceOf(DecodeException.class).hasMessageNotContaining(secret);
    }
  }

  @Test
  void decoder_isThreadSafe_sameResultsFromManyThreads() throws Exception {
    ProfilePayloadDecoder d = decoder("""
        codec: json
        code: { path: c, table: { x: FIRE_SMOKE } }
        episodeKey: 'ch{ch}'
        attributes: [ { name: card, path: card, privacy: hash } ]
        """);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit((Callable<Boolean>) () -> {
          for (int i = 0; i < 2000; i++) {
            DeviceEvent e = decode(d, "{\"c\":\"x\",\"ch\":" + i + ",\"card\":\"c" + i + "\"}").get(0);
            if (!e.episodeKey().equals("ch" + i) || !e.attributes().get("card").equals(KEY.hash("c" + i))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static final String FREE_TEXT = """
      codec: json
      code:
        path: eventType
        table:
          smoke: FIRE_SMOKE
        unknown: { kind: STATUS, level: 4 }
      description: "{eventDescription}"
      evidence:
        - kind: image
          path: pictureURL
      attributes:
        - name: deviceName
          path: deviceName
      """;

  @Test
  void freeText_fromTheDevice_reachesTheEventOnlyScrubbed() throws Exception {
    String payload = """
        {"eventType":"求助 姓名：李四 13812345678","eventDescription":"resident name=Li Si id 110105199003071239",
         "deviceName":"3号楼 联系人:李四 13912345678","pictureURL":"http://10.0.0.9/pic?id=7&personName=Li+Si"}""";
    DeviceEvent e = decode(decoder(FREE_TEXT), payload).get(0);

    String everything = e.toString();
    assertThat(everything).doesNotContain("李四", "Li Si", "Li+Si", "13812345678", "13912345678", "110105199003071239");
    assertThat(e.description()).isEqualTo("resident name=[redacted] id [id-number]");
    assertThat(e.nativeCode()).isEqualTo("求助 姓名：[redacted] [phone]");
    assertThat(e.attributes()).containsEntry("deviceName", "3号楼 联系人:[redacted] [phone]");
    assertThat(e.evidence().get(0).ref()).isEqualTo("http://10.0.0.9/pic?id=7&personName=[redacted]");
  }
}
