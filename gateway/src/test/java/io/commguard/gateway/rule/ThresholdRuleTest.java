package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.rule.spec.ThresholdSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Multi-level thresholds with hysteresis, on readings and on decoded state codes. */
class ThresholdRuleTest {
  static final String GAS = """
      thresholds:
        - measurement: concentration
          type: GAS_LEAK
          levels:
            - {level: 2, raiseAt: 25, clearBelow: 20}
            - {level: 1, raiseAt: 50, clearBelow: 45}
      deadbands:
        - {measurement: concentration, absolute: 1000, maxSilence: PT24H}
      """;

  @ParameterizedTest(name = "level {0} + reading {1} -> {2}")
  @CsvSource({
      "0, 0, 0", "0, 24.9, 0", "0, 25, 2", "0, 49.9, 2", "0, 50, 1", "0, 80, 1",
      "2, 22, 2", "2, 20, 2", "2, 19.9, 0", "2, 50, 1",
      "1, 47, 1", "1, 45, 1", "1, 44.9, 2", "1, 19, 0", "1, 21, 2"})
  void nextLevel_followsHysteresis(int current, double value, int expected) {
    ThresholdSpec spec = RuleKit.rules(GAS).thresholds().get(0);
    assertThat(ThresholdTracker.nextLevel(spec, current, value)).isEqualTo(expected);
  }

  /** Oxygen depletion (GB/T 50493: 19.5 %vol), falling: the lower the value, the more severe. */
  static final String OXYGEN = """
      thresholds:
        - measurement: oxygen
          type: GAS_LEAK
          direction: FALLING
          levels:
            - {level: 2, raiseAt: 19.5, clearAbove: 20.0}
            - {level: 1, raiseAt: 18.0, clearAbove: 18.5}
      deadbands:
        - {measurement: oxygen, absolute: 1000, maxSilence: PT24H}
      """;

  @ParameterizedTest(name = "falling: level {0} + reading {1} -> {2}")
  @CsvSource({
      "0, 20.9, 0", "0, 19.6, 0", "0, 19.5, 2", "0, 18.1, 2", "0, 18.0, 1", "0, 12, 1",
      "2, 19.8, 2", "2, 20.0, 2", "2, 20.1, 0", "2, 18.0, 1",
      "1, 18.3, 1", "1, 18.5, 1", "1, 18.6, 2", "1, 20.9, 0", "1, 19.9, 2"})
  void fallingThreshold_nextLevel_followsHysteresisTheOtherWay(int current, double value, int expected) {
    ThresholdSpec spec = RuleKit.rules(OXYGEN).thresholds().get(0);
    assertThat(spec.direction()).isEqualTo(ThresholdSpec.Direction.FALLING);
    assertThat(ThresholdTracker.nextLevel(spec, current, value)).isEqualTo(expected);
  }

  @Test
  void oxygenDepletion_raisesBelowTheSetPoint_escalates_recoversAndClearsOnce() {
    RuleKit kit = RuleKit.withRules(OXYGEN, "o2-1");
    double[] dip = {20.9, 20.5, 19.6, 19.4, 19.0, 18.2, 17.9, 17.0, 18.4, 18.6, 19.8, 20.0, 20.1, 20.9};
    for (double v : dip) {
      kit.send(kit.reading("o2-1", "oxygen", v));
      kit.clock.advance(Duration.ofSeconds(1));
    }
    List<AlertDraft> alarms = kit.emitted.stream().filter(a -> a.kind() == EventKind.ALARM).toList();
    assertThat(alarms).extracting(a -> a.state() + "@" + a.level() + " " + a.measurements().get(0).value())
        .containsExactly("RAISED@2 19.4", "UPDATED@1 17.9", "UPDATED@2 18.6", "CLEARED@2 20.1");
    assertThat(alarms).extracting(AlertDraft::alertId).containsOnly(alarms.get(0).alertId());
  }

  @Test
  void lowBattery_singleFallingLevel_raisesAtTheSetPointAndClearsAboveTheBand() {
    RuleKit kit = RuleKit.withRules("""
        thresholds:
          - {measurement: battery, type: DEVICE_FAULT, direction: FALLING,
             levels: [{level: 4, raiseAt: 20, clearAbove: 30}]}
        deadbands: [{measurement: battery, absolute: 1000, maxSilence: PT24H}]
        """, "smoke-1");
    for (double v : new double[] {80, 40, 21, 20, 19, 25, 29, 30, 31, 95}) {
      kit.send(kit.reading("smoke-1", "battery", v));
    }
    assertThat(kit.emitted).filteredOn(a -> a.kind() == EventKind.ALARM)
        .extracting(a -> a.state() + "@" + a.level() + " " + a.measurements().get(0).value())
        .containsExactly("RAISED@4 20.0", "CLEARED@4 31.0");
  }

  @Test
  void gasRampUpAndDown_raisesLowThenHigh_updatesDownThenClearsOnce() {
    RuleKit kit = RuleKit.withRules(GAS, "gas-1");
    double[] ramp = {0, 10, 24, 26, 30, 48, 52, 60, 47, 44, 30, 21, 19, 5, 0};
    for (double v : ramp) {
      kit.send(kit.reading("gas-1", "concentration", v));
      kit.clock.advance(Duration.ofSeconds(1));
    }
    List<AlertDraft> alarms = kit.emitted.stream().filter(a -> a.kind() == EventKind.ALARM).toList();
    assertThat(alarms).extracting(a -> a.state() + "@" + a.level())
        .containsExactly("RAISED@2", "UPDATED@1", "UPDATED@2", "CLEARED@2");
    assertThat(alarms).extracting(AlertDraft::alertId).containsOnly(alarms.get(0).alertId());
    assertThat(alarms).allMatch(a -> a.type() == CanonicalType.GAS_LEAK);
    assertThat(alarms.get(0).measurements()).singleElement()
        .satisfies(m -> assertThat(m.value()).isEqualTo(26.0));
  }

  @Test
  void noiseInsideTheHysteresisBand_neverClearsNorReRaises() {
    RuleKit kit = RuleKit.withRules(GAS, "gas-1");
    kit.send(kit.reading("gas-1", "concentration", 30));
    for (int i = 0; i < 100; i++) {
      kit.send(kit.reading("gas-1", "concentration", 20 + (i % 5)));
    }
    assertThat(kit.emitted).filteredOn(a -> a.kind() == EventKind.ALARM).hasSize(1);
  }

  @Test
  void thresholdWithDebounce_needsConsecutiveSamplesAboveTheSetPoint() {
    RuleKit kit = RuleKit.withRules(GAS + "alarms: [{type: GAS_LEAK, raiseSamples: 3, clearSamples: 3}]\n", "gas-1");
    for (double v : new double[] {30, 30, 10, 30, 30, 30, 10, 10, 30, 10, 10, 10}) {
      kit.send(kit.reading("gas-1", "concentration", v));
    }
    assertThat(kit.emitted).filteredOn(a -> a.kind() == EventKind.ALARM).extracting(AlertDraft::state)
        .extracting(Enum::name).containsExactly("RAISED", "CLEARED");
  }

  @Test
  void decodedStateCode_drivesTheSameThreshold() {
    // A decoder exposing the detector's own alarm state as 0 normal, 1 low alarm, 2 high alarm.
    RuleKit kit = RuleKit.withRules("""
        thresholds:
          - measurement: alarmState
            type: GAS_LEAK
            levels:
              - {level: 2, raiseAt: 1, clearBelow: 1}
              - {level: 1, raiseAt: 2, clearBelow: 2}
        """, "gas-1");
    for (double v : new double[] {0, 1, 1, 2, 2, 1, 0, 0}) {
      kit.send(kit.reading("gas-1", "alarmState", v));
    }
    assertThat(kit.emitted).filteredOn(a -> a.kind() == EventKind.ALARM).extracting(a -> a.state() + "@" + a.level())
        .containsExactly("RAISED@2", "UPDATED@1", "UPDATED@2", "CLEARED@2");
  }
}
