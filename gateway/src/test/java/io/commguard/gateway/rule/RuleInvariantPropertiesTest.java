package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Invariants of the rules that must hold for any input, checked with generated inputs. */
class RuleInvariantPropertiesTest {
  private static final List<String> DEVICES = List.of("dev-a", "dev-b", "dev-c");
  private static final List<CanonicalType> TYPES =
      List.of(CanonicalType.PERIMETER_INTRUSION, CanonicalType.DOOR_FORCED, CanonicalType.FIRE_SMOKE);

  /** One generated step: an event of one (device, type, key), or time passing. */
  record Step(int device, int type, int key, Phase phase, int level, int evidence, int waitSeconds) {}

  @Provide
  Arbitrary<Step> steps() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, 1),
            Arbitraries.of(Phase.class),
            Arbitraries.integers().between(1, 4),
            Arbitraries.integers().between(0, 5),
            Arbitraries.integers().between(0, 20))
        .as(Step::new);
  }

  @Provide
  Arbitrary<String> policies() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(0, 10),
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(0, 10),
            Arbitraries.of("STOP_EVENT", "STOP_OR_QUIET"),
            Arbitraries.integers().between(1, 60),
            Arbitraries.integers().between(0, 30))
        .as((rs, ra, cs, ca, on, quiet, upd) -> String.format(Locale.ROOT,
            "{alarms: [{type: ANY, raiseSamples: %d, raiseAfter: PT%dS, clearSamples: %d, clearAfter: PT%dS,"
                + " clearOn: %s, quietClearAfter: PT%dS, updateInterval: PT%dS}],"
                + " rateLimit: {eventsPerSecond: 2, burst: 5}}",
            rs, ra, cs, ca, on, quiet, upd));
  }

  @Property(tries = 200)
  void everyRaisedIsClearedExactlyOnce_whenConditionsEnd(
      @ForAll("policies") String policy, @ForAll @Size(max = 80) List<@net.jqwik.api.From("steps") Step> steps) {
    RuleKit kit = RuleKit.withRules(policy, DEVICES.toArray(String[]::new));
    play(kit, steps);
    // Every condition ends: stops for every key, repeated past any clear debounce, then quiet time.
    for (int round = 0; round < 3; round++) {
      for (String d : DEVICES) {
        for (CanonicalType t : TYPES) {
          for (int k = 0; k < 2; k++) {
            kit.send(kit.alarm(d, t, Phase.INACTIVE, 2, "k" + k));
          }
        }
      }
    }
    kit.run(Duration.ofSeconds(70), Duration.ofSeconds(1));

    Map<String, List<AlertState>> byId = new HashMap<>();
    kit.emitted.stream().filter(a -> a.kind() == EventKind.ALARM)
        .forEach(a -> byId.computeIfAbsent(a.alertId(), id -> new ArrayList<>()).add(a.state()));
    byId.forEach((id, states) -> {
      assertThat(states.get(0)).as("first state of %s", id).isEqualTo(AlertState.RAISED);
      assertThat(states).as("states of %s", id).filteredOn(s -> s == AlertState.RAISED).hasSize(1);
      assertThat(states).as("states of %s", id).filteredOn(s -> s == AlertState.CLEARED).hasSize(1);
      assertThat(states.get(states.size() - 1)).as("last state of %s", id).isEqualTo(AlertState.CLEARED);
    });
  }

  @Property(tries = 200)
  void deduplicationNeverMergesTwoDevicesOrTypes(
      @ForAll("policies") String policy, @ForAll @Size(max = 80) List<@net.jqwik.api.From("steps") Step> steps) {
    RuleKit kit = RuleKit.withRules(policy, DEVICES.toArray(String[]::new));
    play(kit, steps);
    Map<String, String> identity = new HashMap<>();
    for (AlertDraft a : kit.emitted) {
      String who = a.device().deviceId() + "/" + a.type();
      assertThat(identity.putIfAbsent(a.alertId(), who)).as("alert %s", a.alertId()).isIn(null, who);
    }
  }

  @Property(tries = 200)
  void debounceNeverRaisesOnFewerThanNSamples(
      @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @Size(max = 60) List<Boolean> activeOrStop) {
    RuleKit kit = RuleKit.withRules("{alarms: [{type: ANY, raiseSamples: " + n + "}]}", "dev-a");
    int consecutive = 0;
    for (boolean active : activeOrStop) {
      consecutive = active ? consecutive + 1 : 0;
      List<AlertDraft> out = kit.send(kit.alarm("dev-a", CanonicalType.FALL, active ? Phase.ACTIVE : Phase.INACTIVE,
          2, "k"));
      if (out.stream().anyMatch(a -> a.state() == AlertState.RAISED)) {
        assertThat(consecutive).isGreaterThanOrEqualTo(n);
      }
    }
  }

  @Property(tries = 200)
  void noiseBelowTheSetPoint_neverRaises_andNoiseInsideTheDeadband_isNeverForwarded(
      @ForAll @DoubleRange(min = 5, max = 100) double raiseAt,
      @ForAll @DoubleRange(min = 0.01, max = 0.99) double bandFraction,
      @ForAll @Size(min = 1, max = 200) List<@DoubleRange(min = 0, max = 1) Double> noise) {
    double base = raiseAt / 2;
    double band = bandFraction * base;
    String rules = String.format(Locale.ROOT, """
        thresholds:
          - measurement: concentration
            type: GAS_LEAK
            levels: [{level: 2, raiseAt: %s, clearBelow: %s}]
        deadbands: [{measurement: concentration, absolute: %s, maxSilence: PT24H}]
        """, raiseAt, raiseAt * 0.8, band);
    RuleKit kit = RuleKit.withRules(rules, "gas-1");
    kit.send(kit.reading("gas-1", "concentration", base));
    for (double u : noise) {
      kit.clock.advance(Duration.ofSeconds(1));
      kit.send(kit.reading("gas-1", "concentration", base + (u * 2 - 1) * band * 0.999));
      kit.tick();
    }
    assertThat(kit.emitted).noneMatch(a -> a.kind() == EventKind.ALARM);
    assertThat(kit.emitted).as("only the first reading").hasSize(1);
  }

  private static void play(RuleKit kit, List<Step> steps) {
    for (Step s : steps) {
      if (s.waitSeconds() > 15) {
        kit.run(Duration.ofSeconds(s.waitSeconds()), Duration.ofSeconds(1));
        continue;
      }
      String[] evidence = s.evidence() == 0 ? new String[0] : new String[] {"img-" + s.evidence()};
      kit.send(kit.alarm(DEVICES.get(s.device()), TYPES.get(s.type()), s.phase(), s.level(), "k" + s.key(), evidence));
    }
  }
}
