package io.commguard.gateway.rule.spec;

import io.commguard.gateway.model.CanonicalType;
import java.util.List;

/**
 * A multi-level threshold with hysteresis on one measurement: a reading (e.g. {@code
 * concentration} in %LEL) or a decoded state code the decoder exposes as a number. A rising
 * threshold raises when the value goes up to a set point (gas); a falling one when it goes down to
 * it (oxygen depletion, a low battery, hydrant water pressure).
 *
 * @param measurement name of the measurement in the device events
 * @param type canonical type of the alarm it raises
 * @param direction which way the value moves into the alarm
 * @param levels from the least severe (the set point reached first) to the most severe
 */
public record ThresholdSpec(String measurement, CanonicalType type, Direction direction, List<Level> levels) {

  /** Which way a value moves into the alarm. */
  public enum Direction {
    /** Raised at or above {@code raiseAt}, cleared below {@code clearBelow}. */
    RISING,
    /** Raised at or below {@code raiseAt}, cleared above {@code clearAbove}. */
    FALLING;

    /** +1 or -1: a falling threshold is a rising one on the negated value. */
    public int sign() {
      return this == RISING ? 1 : -1;
    }
  }

  /**
   * One level: the value enters it at {@code raiseAt} and leaves it past {@code clearAt} (below it
   * when rising, above it when falling); the hysteresis band lies between the two.
   */
  public record Level(int level, double raiseAt, double clearAt) {}

  public ThresholdSpec {
    levels = List.copyOf(levels);
  }
}
