package io.commguard.gateway.profile.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.Evidence;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.privacy.PersonalDataScrubber;
import io.commguard.gateway.privacy.Privacy;
import io.commguard.gateway.profile.DecodeException;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.profile.codec.DecodeSection.AttributeSpec;
import io.commguard.gateway.profile.codec.DecodeSection.CodeSpec;
import io.commguard.gateway.profile.codec.DecodeSection.EvidenceSpec;
import io.commguard.gateway.profile.codec.DecodeSection.MeasurementSpec;
import io.commguard.gateway.profile.codec.DecodeSection.PhaseSpec;
import io.commguard.gateway.profile.codec.DecodeSection.TimeSpec;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@link PayloadDecoder} of one MQTT profile: maps its payloads into canonical {@link DeviceEvent}s
 * as its {@code decode} section says. Built once per profile
 * at boot; immutable and thread-safe, called concurrently from source threads. Never logs and never
 * puts payload values into exceptions (they may be personal data): a {@link DecodeException}
 * names only the profile path of the field and a reason label.
 *
 * <p>Counters: {@code decode_unknown_code{device,reason=unmapped}} for each event whose native code
 * is not in the code table (it still travels, as type UNKNOWN), and
 * {@code decode_dropped_field{device,reason=inline_data}} for each evidence or attribute value
 * dropped because it is inline data (base64 image bytes) rather than a reference.
 */
public final class ProfilePayloadDecoder implements PayloadDecoder {
  /** Values longer than this are inline data (e.g. base64 images), not references or labels. */
  static final int MAX_VALUE_CHARS = 1024;

  private final String profileId;
  private final DecodeSection section;
  private final PayloadParser parser;
  private final HashKey hashKey;
  private final Counters counters;

  private ProfilePayloadDecoder(String profileId, DecodeSection section, HashKey hashKey, Counters counters) {
    this.profileId = profileId;
    this.section = section;
    this.parser = new PayloadParser(section.codec(), section.kv());
    this.hashKey = hashKey;
    this.counters = counters;
  }

  /**
   * The decoder for {@code profile}.
   *
   * @param hashKey the gateway's key for {@code privacy: hash} fields ({@link HashKey#loadOrCreate})
   * @param counters where unknown codes and dropped inline data are counted
   * @throws IllegalArgumentException when the profile has no {@code decode} section
   */
  public static ProfilePayloadDecoder create(DeviceProfile profile, HashKey hashKey, Counters counters) {
    DecodeSection section = profile.section(DecodeSection.KEY, DecodeSection.class);
    if (section == null) {
      throw new IllegalArgumentException("Profile " + profile.id() + " has no decode section");
    }
    return new ProfilePayloadDecoder(profile.id(), section, hashKey, counters);
  }

  public String profileId() {
    return profileId;
  }

  /**
   * Decodes one message. A payload may hold several events ({@code kv} records, or the
   * {@code events} array); all decode or the whole message fails.
   *
   * @param topic the MQTT topic (kept for future topic-based mapping; not read today)
   * @throws DecodeException malformed payload, wrong field type, missing required field or bad time
   */
  @Override
  public List<DeviceEvent> decode(DeviceRef device, String topic, byte[] payload, Instant receivedAt) throws DecodeException {
    List<JsonNode> records = parser.parse(payload);
    List<DeviceEvent> out = new ArrayList<>(records.size());
    for (JsonNode record : records) {
      if (section.events() == null) {
        out.add(event(device, record, receivedAt));
        continue;
      }
      JsonNode list = section.events().resolve(record);
      if (list == null) {
        throw new DecodeException(section.events().toString(), "missing_field", null);
      }
      if (!list.isArray()) {
        out.add(event(device, list, receivedAt));
        continue;
      }
      for (JsonNode element : list) {
        out.add(event(device, element, receivedAt));
      }
    }
    return out;
  }

  private DeviceEvent event(DeviceRef device, JsonNode root, Instant receivedAt) throws DecodeException {
    CodeSpec codeSpec = section.code();
    String nativeCode = nativeCode(codeSpec, root);
    CodeRule rule = codeSpec.table().get(codeSpec.ignoreCase() ? nativeCode.toLowerCase(Locale.ROOT) : nativeCode);
    if (rule == null) {
      rule = codeSpec.unknown();
      nativeCode = PersonalDataScrubber.scrubText(nativeCode); // a code no table knows is free text
      if (counters != null) {
        counters.increment("decode_unknown_code", device.deviceId(), "unmapped");
      }
    }
    Phase phase = rule.phase() != null ? rule.phase() : phase(root);
    Instant deviceTime = time(root);
    String episodeKey = section.episodeKey() == null ? "" : section.episodeKey().render(root);
    String description = rule.description() != null
        ? rule.description()
        : section.description() == null ? "" : PersonalDataScrubber.scrubText(section.description().render(root));
    return new DeviceEvent(device, rule.kind(), rule.type(), rule.level(), phase, nativeCode, deviceTime, receivedAt,
        episodeKey, measurements(root), evidence(device, root), attributes(device, root), description);
  }

  private static String nativeCode(CodeSpec spec, JsonNode root) throws DecodeException {
    if (spec.parts().size() == 1) {
      return part(spec.parts().get(0), root);
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < spec.parts().size(); i++) {
      if (i > 0) {
        b.append(spec.joiner());
      }
      b.append(part(spec.parts().get(i), root));
    }
    return b.toString();
  }

  private static String part(CodePart part, JsonNode root) throws DecodeException {
    JsonNode v = part.path().resolve(root);
    if (v == null) {
      throw new DecodeException(part.path().toString(), "missing_field", null);
    }
    if (!v.isValueNode()) {
      throw new DecodeException(part.path().toString(), "wrong_type", "expected a scalar");
    }
    return switch (part.format()) {
      case TEXT -> v.asText();
      case DECIMAL -> Long.toString(integer(v, part.path()));
      case HEX -> "0x" + Long.toHexString(integer(v, part.path()));
    };
  }

  private static long integer(JsonNode v, FieldPath path) throws DecodeException {
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isTextual()) {
      String s = v.asText().strip();
      try {
        return s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new DecodeException(path.toString(), "wrong_type", "expected an integer");
  }

  private Phase phase(JsonNode root) throws DecodeException {
    PhaseSpec spec = section.phase();
    if (spec == null) {
      return Phase.PULSE;
    }
    JsonNode v = spec.path().resolve(root);
    if (v == null) {
      return spec.fallback();
    }
    Phase p = v.isValueNode() ? spec.values().get(v.asText().strip().toLowerCase(Locale.ROOT)) : null;
    if (p == null) {
      throw new DecodeException(spec.path().toString(), "bad_value", "not a known phase value");
    }
    return p;
  }

  private Instant time(JsonNode root) throws DecodeException {
    TimeSpec spec = section.time();
    if (spec == null) {
      return null;
    }
    JsonNode v = spec.path().resolve(root);
    if (v == null) {
      return null;
    }
    String field = spec.path().toString();
    try {
      switch (spec.format()) {
        case EPOCH_MILLIS:
          return Instant.ofEpochMilli(v.isNumber() ? v.asLong() : Long.parseLong(v.asText().strip()));
        case EPOCH_SECONDS: {
          double s = v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText().strip());
          if (!Double.isFinite(s)) {
            throw new NumberFormatException("not finite");
          }
          long whole = (long) Math.floor(s);
          return Instant.ofEpochSecond(whole, Math.round((s - whole) * 1_000_000_000L));
        }
        case ISO8601:
          return iso(v.asText().strip(), spec, field);
        default:
          return zoned(spec.formatter().parse(v.asText().strip()), spec, field);
      }
    } catch (DateTimeException | NumberFormatException e) {
      throw new DecodeException(field, "bad_time", "not a " + spec.format().name().toLowerCase(Locale.ROOT) + " time");
    }
  }

  /** ISO-8601; the common shapes take the fast dedicated parser. */
  private static Instant iso(String text, TimeSpec spec, String field) throws DecodeException {
    IsoTimes.Parsed fast = IsoTimes.fast(text);
    if (fast == null) {
      return zoned(DateTimeFormatter.ISO_DATE_TIME.parse(text), spec, field);
    }
    if (fast.offset() != null) {
      return fast.dateTime().toInstant(fast.offset());
    }
    return local(fast.dateTime(), spec, field);
  }

  private static Instant zoned(TemporalAccessor t, TimeSpec spec, String field) throws DecodeException {
    if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
      return OffsetDateTime.from(t).toInstant();
    }
    return local(LocalDateTime.from(t), spec, field);
  }

  private static Instant local(LocalDateTime t, TimeSpec spec, String field) throws DecodeException {
    if (spec.zone() == null) {
      throw new DecodeException(field, "bad_time", "time has no offset and the profile sets no zone");
    }
    return t.atZone(spec.zone()).toInstant();
  }

  private List<Measurement> measurements(JsonNode root) throws DecodeException {
    if (section.measurements().isEmpty()) {
      return List.of();
    }
    List<Measurement> out = new ArrayList<>(section.measurements().size());
    for (MeasurementSpec m : section.measurements()) {
      JsonNode v = m.path().resolve(root);
      if (v == null) {
        if (m.required()) {
          throw new DecodeException(m.path().toString(), "missing_field", null);
        }
        continue;
      }
      out.add(new Measurement(m.name(), number(v, m.path()) * m.scale(), m.unit()));
    }
    return out;
  }

  private static double number(JsonNode v, FieldPath path) throws DecodeException {
    if (v.isNumber() && Double.isFinite(v.asDouble())) {
      return v.asDouble();
    }
    if (v.isTextual()) {
      try {
        double d = Double.parseDouble(v.asText().strip());
        if (Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new DecodeException(path.toString(), "wrong_type", "expected a number");
  }

  private List<Evidence> evidence(DeviceRef device, JsonNode root) throws DecodeException {
    if (section.evidence().isEmpty()) {
      return List.of();
    }
    List<Evidence> out = new ArrayList<>(section.evidence().size());
    for (EvidenceSpec e : section.evidence()) {
      JsonNode v = e.path().resolve(root);
      if (v == null) {
        continue;
      }
      if (v.isArray()) {
        for (JsonNode item : v) {
          addEvidence(out, device, e, item);
        }
      } else {
        addEvidence(out, device, e, v);
      }
    }
    return out;
  }

  private void addEvidence(List<Evidence> out, DeviceRef device, EvidenceSpec spec, JsonNode v) throws DecodeException {
    if (!v.isValueNode()) {
      throw new DecodeException(spec.path().toString(), "wrong_type", "expected a reference (URL or id)");
    }
    String ref = v.asText().strip();
    if (ref.isEmpty()) {
      return;
    }
    if (isInlineData(ref)) {
      dropped(device);
      return;
    }
    out.add(new Evidence(spec.kind(), PersonalDataScrubber.scrubReference(ref)));
  }

  private Map<String, String> attributes(DeviceRef device, JsonNode root) throws DecodeException {
    if (section.attributes().isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    for (AttributeSpec a : section.attributes()) {
      if (a.privacy() == Privacy.DROP) {
        continue;
      }
      JsonNode v = a.path().resolve(root);
      if (v == null) {
        continue;
      }
      if (!v.isValueNode()) {
        throw new DecodeException(a.path().toString(), "wrong_type", "expected a scalar");
      }
      String value = v.asText();
      if (a.privacy() == Privacy.HASH) {
        out.put(a.name(), hashKey.hash(value));
        out.put(HashKey.ID_ATTRIBUTE, hashKey.id());
      } else if (isInlineData(value)) {
        dropped(device);
      } else {
        out.put(a.name(), PersonalDataScrubber.scrubText(value));
      }
    }
    return out;
  }

  private static boolean isInlineData(String value) {
    return value.length() > MAX_VALUE_CHARS || value.regionMatches(true, 0, "data:", 0, 5);
  }

  private void dropped(DeviceRef device) {
    if (counters != null) {
      counters.increment("decode_dropped_field", device.deviceId(), "inline_data");
    }
  }
}
