package io.commguard.gateway.rule.spec;

import io.commguard.gateway.model.CanonicalType;
import java.util.List;

/**
 * A multi-level threshold with hysteresis on one measurement: a reading (e.g. {@code
 * concentration} in %LEL) or a decoded state code the decoder exposes as a number.
 *
 * @param measurement name of the measurement in the device events
 * @param type canonical type of the alarm it raises
 * @param levels from the least severe (lowest {@code raiseAt}) to the most severe
 */
public record ThresholdSpec(String measurement, CanonicalType type, List<Level> levels) {

  /**
   * One level: the reading enters it at {@code raiseAt} or above and leaves it below {@code
   * clearBelow} (the hysteresis band is {@code [clearBelow, raiseAt)}).
   */
  public record Level(int level, double raiseAt, double clearBelow) {}

  public ThresholdSpec {
    levels = List.copyOf(levels);
  }
}
