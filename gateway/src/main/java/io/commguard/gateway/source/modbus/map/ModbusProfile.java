package io.commguard.gateway.source.modbus.map;

import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.profile.ProducesEventTypes;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code modbus} section of a device profile: the register map in poll groups, the conditions
 * read from status words, and the planner's fill limit. Immutable; shared by every device of the
 * model.
 *
 * @param maxFill most unused registers (or bits) the planner may read to join two points into one
 *     request
 * @param telemetryInterval how often a TELEMETRY event with the measurements is emitted per device
 */
public record ModbusProfile(
    List<PointGroup> groups, List<Condition> conditions, int maxFill, Duration telemetryInterval)
    implements ProducesEventTypes {

  public static final int DEFAULT_MAX_FILL = 8;
  public static final Duration DEFAULT_TELEMETRY_INTERVAL = Duration.ofSeconds(60);

  public ModbusProfile {
    groups = List.copyOf(groups);
    conditions = List.copyOf(conditions);
  }

  /** The conditions' types, and READING when a point is reported as a measurement. */
  @Override
  public Set<CanonicalType> eventTypes() {
    Set<CanonicalType> types = EnumSet.noneOf(CanonicalType.class);
    conditions.forEach(c -> types.add(c.type()));
    if (pointsByName().values().stream().anyMatch(p -> p.role() == RegisterPoint.Role.MEASUREMENT)) {
      types.add(CanonicalType.READING);
    }
    return types;
  }

  /** Every point by name, in profile order. */
  public Map<String, RegisterPoint> pointsByName() {
    Map<String, RegisterPoint> out = new LinkedHashMap<>();
    for (PointGroup g : groups) {
      for (RegisterPoint p : g.points()) {
        out.put(p.name(), p);
      }
    }
    return out;
  }

  /** Number of points, i.e. requests per full cycle without a planner. */
  public int pointCount() {
    return groups.stream().mapToInt(g -> g.points().size()).sum();
  }
}
