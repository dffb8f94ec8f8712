package io.commguard.gateway.profile.codec;

import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.privacy.Privacy;
import io.commguard.gateway.profile.ProducesEventTypes;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated, compiled {@code decode} section of an MQTT profile: everything a
 * {@link ProfilePayloadDecoder} needs, parsed once. Immutable. See docs/profiles.md for the YAML.
 *
 * @param events path to an array whose elements are decoded as separate events, or null
 * @param code how the native code is read and mapped
 * @param phase where the phase comes from, or null (then each code's phase, else {@code PULSE})
 * @param time where the device time comes from, or null (receive time)
 * @param episodeKey template of the episode key, or null
 * @param description template of the description, or null
 */
public record DecodeSection(
    Codec codec,
    KvOptions kv,
    FieldPath events,
    CodeSpec code,
    PhaseSpec phase,
    TimeSpec time,
    Template episodeKey,
    Template description,
    List<MeasurementSpec> measurements,
    List<EvidenceSpec> evidence,
    List<AttributeSpec> attributes) implements ProducesEventTypes {

  /** The key of this section in a profile file. */
  public static final String KEY = "decode";

  public DecodeSection {
    measurements = List.copyOf(measurements);
    evidence = List.copyOf(evidence);
    attributes = List.copyOf(attributes);
  }

  @Override
  public Set<CanonicalType> eventTypes() {
    Set<CanonicalType> types = EnumSet.noneOf(CanonicalType.class);
    code.table().values().forEach(rule -> types.add(rule.type()));
    types.remove(CanonicalType.UNKNOWN);
    return types;
  }

  /**
   * @param joiner between parts in the native code (default {@code /})
   * @param ignoreCase whether table lookups ignore case (table keys are stored lowercase then)
   * @param table native code to meaning
   * @param unknown meaning of a code not in the table (type is always UNKNOWN)
   */
  public record CodeSpec(List<CodePart> parts, String joiner, boolean ignoreCase, Map<String, CodeRule> table, CodeRule unknown) {
    public CodeSpec {
      parts = List.copyOf(parts);
      table = Map.copyOf(table);
    }
  }

  /** @param values payload value (lowercase) to phase; {@code fallback} when the field is absent */
  public record PhaseSpec(FieldPath path, Map<String, Phase> values, Phase fallback) {
    public PhaseSpec {
      values = Map.copyOf(values);
    }
  }

  /** @param formatter for {@link TimeFormat#PATTERN} only; {@code zone} for times without offset */
  public record TimeSpec(FieldPath path, TimeFormat format, DateTimeFormatter formatter, ZoneId zone) {}

  /** @param required when true, a message without the field fails with {@code missing_field} */
  public record MeasurementSpec(String name, FieldPath path, String unit, double scale, boolean required) {}

  /** @param kind e.g. {@code image}, {@code clip} */
  public record EvidenceSpec(String kind, FieldPath path) {}

  public record AttributeSpec(String name, FieldPath path, Privacy privacy) {}
}
