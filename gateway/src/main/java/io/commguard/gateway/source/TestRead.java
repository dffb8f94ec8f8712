package io.commguard.gateway.source;

import io.commguard.gateway.model.DeviceEvent;
import java.time.Instant;
import java.util.List;

/**
 * One device read once for commissioning ({@link TestReading}): the raw values as they came off the
 * wire beside the decoded fields, the device's conditions, and the events its profile would make of
 * them (what a first poll would deliver). Nothing of it enters the pipeline.
 *
 * @param peer where the device was read, e.g. {@code plant unit 3}
 * @param raw every raw value read, in request order
 * @param fields the profile's fields decoded from them
 * @param failures the reads that failed; their fields are missing, the rest is shown
 */
public record TestRead(String deviceId, String peer, Instant time, long durationMs, List<RawValue> raw,
    List<Field> fields, List<ConditionState> conditions, List<DeviceEvent> events, List<Failure> failures) {

  public TestRead {
    raw = List.copyOf(raw);
    fields = List.copyOf(fields);
    conditions = List.copyOf(conditions);
    events = List.copyOf(events);
    failures = List.copyOf(failures);
  }

  /**
   * One raw value: a 16-bit register or a single bit.
   *
   * @param table where it sits, e.g. {@code holding}, {@code input}, {@code coil}, {@code discrete}
   * @param function the read's function code
   * @param address the 0-based wire address
   * @param hex the value as the wire carries it, e.g. {@code 0x0041}, or {@code 1} for a bit
   */
  public record RawValue(String table, int function, int address, long value, String hex) {}

  /**
   * One decoded field of the profile.
   *
   * @param table and {@code address}: the field's first raw value
   * @param span how many raw values it is made of
   * @param raw the unscaled value (a whole number, a float or text)
   * @param value the value as reported: scaled, with decimals applied; the raw value again for
   *     fields only read for conditions
   * @param measurement true when the field is reported as a measurement
   */
  public record Field(String name, String table, int address, int span, String raw, String value, String unit,
      boolean measurement) {}

  /**
   * One condition of the profile (warm-up, an alarm, a fault) read from status fields.
   *
   * @param active null when a field it needs could not be read
   * @param nativeCode the bits or codes it tests, e.g. {@code status.b6}
   */
  public record ConditionState(String id, String state, String type, Boolean active, String nativeCode) {}

  /** A read that failed: which ({@code holding 0+10}), why (a short reason), and the detail. */
  public record Failure(String what, String reason, String detail) {}
}
