package io.commguard.gateway.rule;

import static io.commguard.gateway.rule.RuleKit.states;
import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Debounce, de-duplication, quiet clearing and level updates of one episode, table-driven. */
class EpisodeLifecycleTest {

  /**
   * Steps: {@code A} active, {@code I} inactive, {@code P} pulse, optionally {@code @level} and
   * {@code :evidence}; {@code +10s} advances the clock second by second, ticking each time.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      defaults: one active then stop         | {}                                            | A I                 | RAISED CLEARED
      stop without episode is ignored        | {}                                            | I I                 | ''
      re-posts without news are absorbed     | {}                                            | A A A A             | RAISED
      level change updates                   | {}                                            | A@3 A@3 A@2 A@2     | RAISED UPDATED
      new evidence updates at most per interval | {alarms: [{type: ANY, updateInterval: PT10S}]} | A:i1 A:i2 +5s A:i3 +5s A:i4 | RAISED UPDATED
      same evidence never updates            | {}                                            | A:i1 +60s A:i1      | RAISED
      raise needs N samples                  | {alarms: [{type: ANY, raiseSamples: 3}]}     | A A I A A           | ''
      raise on the Nth sample                | {alarms: [{type: ANY, raiseSamples: 3}]}     | A A A               | RAISED
      raise needs a minimum duration         | {alarms: [{type: ANY, raiseAfter: PT5S}]}    | A +4s               | ''
      raise after the minimum duration       | {alarms: [{type: ANY, raiseAfter: PT5S}]}    | A +5s               | RAISED
      short blip under raiseAfter is dropped | {alarms: [{type: ANY, raiseAfter: PT5S}]}    | A +2s I +10s        | ''
      clear needs N stop samples             | {alarms: [{type: ANY, clearSamples: 2}]}     | A I A I             | RAISED
      clear on the Nth stop sample           | {alarms: [{type: ANY, clearSamples: 2}]}     | A I I               | RAISED CLEARED
      clear waits clearAfter                 | {alarms: [{type: ANY, clearAfter: PT10S}]}   | A I +9s             | RAISED
      Start/Stop pairs are one episode       | {alarms: [{type: ANY, clearAfter: PT10S}]}   | A I +3s A I +3s A I +10s | RAISED CLEARED
      pulse clears after quiet time          | {alarms: [{type: ANY, quietClearAfter: PT60S}]} | P +59s            | RAISED
      pulse clears after quiet time (due)    | {alarms: [{type: ANY, quietClearAfter: PT60S}]} | P +60s            | RAISED CLEARED
      repeated pulses keep one episode       | {alarms: [{type: ANY, quietClearAfter: PT60S}]} | P +30s P +30s P +60s | RAISED CLEARED
      active does not clear on quiet by default | {}                                          | A +600s             | RAISED
      STOP_OR_QUIET clears a silent active   | {alarms: [{type: ANY, clearOn: STOP_OR_QUIET, quietClearAfter: PT30S}]} | A +29s A +30s | RAISED CLEARED
      type entry overrides ANY               | {alarms: [{type: ANY, raiseSamples: 5}, {type: PERIMETER_INTRUSION, raiseSamples: 1}]} | A | RAISED
      other type entry does not apply        | {alarms: [{type: ANY, raiseSamples: 5}, {type: FALL, raiseSamples: 1}]} | A | ''
      """)
  void scenario(String name, String rules, String steps, String expected) {
    RuleKit kit = RuleKit.withRules(rules, "cam-1");
    for (String step : steps.trim().split("\\s+")) {
      if (step.startsWith("+")) {
        kit.run(Duration.ofSeconds(Long.parseLong(step.substring(1, step.length() - 1))), Duration.ofSeconds(1));
        continue;
      }
      Phase phase = switch (step.charAt(0)) {
        case 'A' -> Phase.ACTIVE;
        case 'I' -> Phase.INACTIVE;
        case 'P' -> Phase.PULSE;
        default -> throw new IllegalArgumentException(step);
      };
      int level = 2;
      String evidence = null;
      String rest = step.substring(1);
      if (rest.startsWith("@")) {
        level = Integer.parseInt(rest.substring(1, 2));
        rest = rest.substring(2);
      }
      if (rest.startsWith(":")) {
        evidence = rest.substring(1);
      }
      kit.send(evidence == null
          ? kit.alarm("cam-1", CanonicalType.PERIMETER_INTRUSION, phase, level, "ch1")
          : kit.alarm("cam-1", CanonicalType.PERIMETER_INTRUSION, phase, level, "ch1", evidence));
    }
    List<AlertState> want = expected.isBlank() ? List.of()
        : List.of(expected.trim().split("\\s+")).stream().map(AlertState::valueOf).toList();
    assertThat(states(kit.emitted)).as(name).containsExactlyElementsOf(want);
    assertThat(kit.emitted.stream().map(AlertDraft::alertId).distinct()).as("one alert id per episode")
        .hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void cameraRePosts_becomeUpdatesOfOneAlert_thenClearAfterQuiet() {
    RuleKit kit = RuleKit.withRules("""
        alarms:
          - {type: PERIMETER_INTRUSION, clearOn: STOP_OR_QUIET, quietClearAfter: PT30S, updateInterval: PT10S}
        """, "cam-1");
    for (int post = 1; post <= 10; post++) {
      kit.send(kit.alarm("cam-1", CanonicalType.PERIMETER_INTRUSION, Phase.ACTIVE, 2, "ch1", "pic-" + post));
      kit.run(Duration.ofSeconds(3), Duration.ofSeconds(1));
    }
    kit.run(Duration.ofSeconds(40), Duration.ofSeconds(1));

    assertThat(states(kit.emitted)).startsWith(AlertState.RAISED).endsWith(AlertState.CLEARED);
    assertThat(kit.emitted).extracting(AlertDraft::alertId).containsOnly(kit.emitted.get(0).alertId());
    assertThat(states(kit.emitted)).filteredOn(s -> s == AlertState.UPDATED).hasSizeBetween(2, 3);
    List<String> evidence = new ArrayList<>();
    kit.emitted.forEach(a -> a.evidence().forEach(e -> evidence.add(e.ref())));
    assertThat(evidence).as("every picture reaches the platform exactly once").hasSize(10).doesNotHaveDuplicates();
  }

  @Test
  void gasDetectorLowHighLowNormal_isOneAlert_escalatedAndDeescalated_withTheNativeBits() {
    // As a Modbus gas detector reports it (docs/modbus.md): one episode key for its low and high bits.
    RuleKit kit = RuleKit.withRules("{alarms: [{type: GAS_LEAK, clearSamples: 1, clearAfter: PT3S}]}", "gas-1");
    String[][] polls = {{"ACTIVE", "2", "status.b6"}, {"ACTIVE", "1", "status.b7"}, {"ACTIVE", "1", "status.b7"},
        {"ACTIVE", "2", "status.b6"}, {"INACTIVE", "2", "status.b6"}};
    for (String[] poll : polls) {
      DeviceEvent e = kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.valueOf(poll[0]), Integer.parseInt(poll[1]), "gas");
      kit.send(new DeviceEvent(e.device(), e.kind(), e.type(), e.level(), e.phase(), poll[2], e.deviceTime(),
          e.receivedAt(), e.episodeKey(), e.measurements(), e.evidence(), e.attributes(), e.description()));
      kit.run(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }
    kit.run(Duration.ofSeconds(5), Duration.ofSeconds(1));

    assertThat(kit.emitted).extracting(a -> a.state() + "@" + a.level() + " " + a.nativeCode() + " "
            + a.attributes().getOrDefault("previousLevel", "-"))
        .containsExactly("RAISED@2 status.b6 -", "UPDATED@1 status.b7 2", "UPDATED@2 status.b6 1", "CLEARED@2 status.b6 -");
    assertThat(kit.emitted).extracting(AlertDraft::alertId).containsOnly(kit.emitted.get(0).alertId());
  }

  @Test
  void repeatedDoorEvents_areOneEpisode_andTwoDoorsAreTwo() {
    RuleKit kit = RuleKit.withRules("{alarms: [{type: DOOR_FORCED, quietClearAfter: PT60S}]}", "ac-1");
    for (int i = 0; i < 5; i++) {
      kit.send(kit.alarm("ac-1", CanonicalType.DOOR_FORCED, Phase.PULSE, 2, "door-1"));
      kit.run(Duration.ofSeconds(5), Duration.ofSeconds(1));
    }
    kit.send(kit.alarm("ac-1", CanonicalType.DOOR_FORCED, Phase.PULSE, 2, "door-2"));
    kit.run(Duration.ofSeconds(70), Duration.ofSeconds(1));

    assertThat(kit.emitted).extracting(a -> a.state() + "/" + a.alertId())
        .containsExactly("RAISED/a1", "RAISED/a2", "CLEARED/a1", "CLEARED/a2");
  }

  @Test
  void differentDevicesAndTypes_neverShareAnAlert() {
    RuleKit kit = RuleKit.withRules("{}", "cam-1", "cam-2");
    kit.send(kit.alarm("cam-1", CanonicalType.PERIMETER_INTRUSION, Phase.ACTIVE, 2, "ch1"));
    kit.send(kit.alarm("cam-2", CanonicalType.PERIMETER_INTRUSION, Phase.ACTIVE, 2, "ch1"));
    kit.send(kit.alarm("cam-1", CanonicalType.LOITERING, Phase.ACTIVE, 4, "ch1"));

    assertThat(kit.emitted).extracting(AlertDraft::state).containsOnly(AlertState.RAISED);
    assertThat(kit.emitted).extracting(AlertDraft::alertId).doesNotHaveDuplicates().hasSize(3);
  }

  @Test
  void deviceInventingEpisodeKeys_isCappedPerDevice_oldestClearedFirst() {
    RuleKit kit = RuleKit.withRules("rateLimit: {eventsPerSecond: 10000, burst: 10000}", "cam-1", "cam-2");
    for (int i = 0; i < EpisodeBook.MAX_EPISODES_PER_DEVICE + 44; i++) {
      kit.send(kit.alarm("cam-1", CanonicalType.PERIMETER_INTRUSION, Phase.ACTIVE, 2, "region-" + i));
      kit.clock.advance(Duration.ofMillis(10));
    }
    kit.send(kit.alarm("cam-2", CanonicalType.PERIMETER_INTRUSION, Phase.ACTIVE, 2, "region-0"));

    List<AlertDraft> cleared = kit.emitted.stream().filter(a -> a.state() == AlertState.CLEARED).toList();
    assertThat(cleared).hasSize(44).allMatch(a -> a.attributes().get("clearedBy").equals("capacity"));
    assertThat(cleared.get(0).alertId()).isEqualTo("a1");
    assertThat(kit.counters.get("rule_episodes_evicted", "cam-1", "capacity")).isEqualTo(44);
    assertThat(kit.emitted).filteredOn(a -> a.device().deviceId().equals("cam-2")).hasSize(1);
  }
}
