package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Measures the data-reduction ratio (events in / alerts out) on simulated traffic, one simulated
 * second at a time with a seeded random source, so the figures in docs/rules.md are reproducible:
 * {@code mvn -pl gateway test -Dtest=DataReductionTest} prints them.
 */
class DataReductionTest {
  /** Rules as the shipped profiles declare them (gas detector, camera, access controller). */
  static final String RULES = """
      alarms:
        - {type: PERIMETER_INTRUSION, clearOn: STOP_OR_QUIET, quietClearAfter: PT30S, updateInterval: PT30S}
        - {type: MOTION, clearAfter: PT10S, clearOn: STOP_OR_QUIET, quietClearAfter: PT60S, updateInterval: PT60S}
        - {type: DOOR_FORCED, quietClearAfter: PT60S}
        - {type: GAS_LEAK, raiseSamples: 2, clearSamples: 5}
      thresholds:
        - measurement: concentration
          type: GAS_LEAK
          levels:
            - {level: 2, raiseAt: 25, clearBelow: 20}
            - {level: 1, raiseAt: 50, clearBelow: 45}
      deadbands:
        - {measurement: concentration, absolute: 2.0, maxSilence: PT15M}
      access: {forward: SUMMARY, summaryInterval: PT15M}
      """;
  /** Polled devices are expected every second; cameras and controllers only talk on events. */
  static final String POLLED = "offline: {expectedInterval: PT1S, missedIntervals: 10}";

  private record Ratio(String name, long in, long out) {
    double value() {
      return (double) in / out;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s: %d events in, %d alerts out, ratio %.0f:1", name, in, out, value());
    }
  }

  @Test
  void gasDetectorSampledEverySecondForOneHour() {
    Ratio quiet = gasHour(false);
    Ratio leak = gasHour(true);
    System.out.println(quiet);
    System.out.println(leak);
    assertThat(quiet.in()).isEqualTo(3600);
    assertThat(quiet.value()).isGreaterThan(500);
    assertThat(leak.value()).isGreaterThan(50);
  }

  @Test
  void demoMix_camerasAccessControllersAndGasDetectors_forOneHour() {
    String[] cams = {"cam-1", "cam-2", "cam-3", "dahua-1"};
    String[] gas = {"gas-1", "gas-2", "gas-3", "gas-4", "gas-5", "gas-6"};
    String[] acs = {"ac-1", "ac-2"};
    List<String> all = new ArrayList<>(List.of(cams));
    all.addAll(List.of(gas));
    all.addAll(List.of(acs));
    RuleKit kit = new RuleKit();
    java.util.Map<String, io.commguard.gateway.rule.spec.RulesSection> overrides = new java.util.HashMap<>();
    for (String g : gas) {
      overrides.put(g, RuleKit.rules(POLLED));
    }
    kit.engine = kit.engine(RULES, new io.commguard.gateway.rule.spec.GatewayRules(List.of(), overrides, List.of()),
        RuleStateStore.IN_MEMORY, all.toArray(String[]::new));
    Random rnd = new Random(42);
    long in = 0;
    for (int s = 0; s < 3600; s++) {
      List<DeviceEvent> events = new ArrayList<>();
      // Gas detectors polled every second; gas-2 sees a leak from 20:00 to 26:00.
      for (String g : gas) {
        double value = 0.5 + rnd.nextGaussian() * 0.3;
        if (g.equals("gas-2") && s >= 1200 && s < 1560) {
          value += leakProfile(s - 1200);
        }
        events.add(kit.reading(g, "concentration", Math.max(0, value)));
      }
      // Hikvision cameras: an intrusion every 10 minutes, re-posted every 3 s for a minute, each with a picture.
      for (int c = 0; c < 3; c++) {
        int phase = (s + c * 200) % 600;
        if (phase < 60 && phase % 3 == 0) {
          events.add(kit.alarm(cams[c], CanonicalType.PERIMETER_INTRUSION, Phase.ACTIVE, 2, "ch1",
              cams[c] + "-pic-" + s));
        }
      }
      // Dahua: VideoMotion Start/Stop pairs every 4 s for 40 s, every 5 minutes.
      int dp = s % 300;
      if (dp < 40 && dp % 4 == 0) {
        events.add(kit.alarm("dahua-1", CanonicalType.MOTION, Phase.ACTIVE, 4, "0"));
      } else if (dp < 40 && dp % 4 == 2) {
        events.add(kit.alarm("dahua-1", CanonicalType.MOTION, Phase.INACTIVE, 4, "0"));
      }
      // Access controllers: a swipe every 20 s on each, a denied card every 5 minutes.
      for (int a = 0; a < acs.length; a++) {
        if ((s + a * 7) % 20 == 0) {
          events.add(kit.access(acs[a], CanonicalType.ACCESS_GRANTED));
        }
        if ((s + a * 11) % 300 == 0) {
          events.add(kit.access(acs[a], CanonicalType.ACCESS_DENIED));
        }
      }
      // ac-1: door held open at 30:00 for 2 minutes, then closed; door forced reported 3 times at 45:00.
      if (s == 1800) {
        events.add(kit.alarm("ac-1", CanonicalType.DOOR_HELD_OPEN, Phase.ACTIVE, 3, "door-1"));
      }
      if (s == 1920) {
        events.add(kit.alarm("ac-1", CanonicalType.DOOR_HELD_OPEN, Phase.INACTIVE, 3, "door-1"));
      }
      if (s == 2700 || s == 2705 || s == 2710) {
        events.add(kit.alarm("ac-1", CanonicalType.DOOR_FORCED, Phase.PULSE, 2, "door-1"));
      }
      for (DeviceEvent e : events) {
        kit.send(e);
      }
      in += events.size();
      kit.clock.advance(Duration.ofSeconds(1));
      kit.tick();
    }
    Ratio mix = new Ratio("Demo mix (4 cameras, 6 gas detectors at 1 Hz, 2 access controllers), 1 h", in,
        kit.emitted.size());
    System.out.println(mix);
    System.out.println(breakdown(kit.emitted));

    List<AlertDraft> alarms = kit.emitted.stream().filter(a -> a.kind() == EventKind.ALARM).toList();
    assertThat(alarms).filteredOn(a -> a.state() == AlertState.RAISED).extracting(AlertDraft::type)
        .contains(CanonicalType.GAS_LEAK, CanonicalType.PERIMETER_INTRUSION, CanonicalType.MOTION,
            CanonicalType.DOOR_HELD_OPEN, CanonicalType.DOOR_FORCED);
    assertThat(alarms.stream().filter(a -> a.state() == AlertState.RAISED).count())
        .as("every RAISED has its CLEARED")
        .isEqualTo(alarms.stream().filter(a -> a.state() == AlertState.CLEARED).count());
    assertThat(mix.value()).isGreaterThan(100);
  }

  private Ratio gasHour(boolean withLeak) {
    RuleKit kit = RuleKit.withRules(RULES + POLLED, "gas-1");
    Random rnd = new Random(7);
    for (int s = 0; s < 3600; s++) {
      double value = 0.5 + rnd.nextGaussian() * 0.3;
      if (withLeak && s >= 1200 && s < 1560) {
        value += leakProfile(s - 1200);
      }
      kit.send(kit.reading("gas-1", "concentration", Math.max(0, value)));
      kit.clock.advance(Duration.ofSeconds(1));
      kit.tick();
    }
    return new Ratio("One gas detector at 1 Hz for 1 h" + (withLeak ? ", one 6-minute leak up to 60 %LEL" : ", no leak"),
        3600, kit.emitted.size());
  }

  /** 0 -> 60 %LEL over 2 minutes, held 2 minutes, back to 0 over 2 minutes. */
  private static double leakProfile(int t) {
    if (t < 120) {
      return t / 2.0;
    }
    if (t < 240) {
      return 60;
    }
    return Math.max(0, 60 - (t - 240) / 2.0);
  }

  private static String breakdown(List<AlertDraft> alerts) {
    StringBuilder b = new StringBuilder("  alerts by kind/type/state:");
    alerts.stream().map(a -> a.kind() + "/" + a.type() + "/" + a.state())
        .collect(java.util.stream.Collectors.groupingBy(k -> k, java.util.TreeMap::new,
            java.util.stream.Collectors.counting()))
        .forEach((k, v) -> b.append("\n    ").append(k).append(' ').append(v));
    return b.toString();
  }
}
