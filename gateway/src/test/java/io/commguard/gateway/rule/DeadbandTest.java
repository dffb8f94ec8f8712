package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.Measurement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Deadband on telemetry with a heartbeat summary after the maximum silence. */
class DeadbandTest {

  @ParameterizedTest(name = "{0}: {1} -> {2} forwarded")
  @CsvSource(delimiter = '|', textBlock = """
      {measurement: concentration, absolute: 1.0, maxSilence: PT1H}  | 5 5.5 6 4.1 6.01   | 5 6.01
      {measurement: concentration, absolute: 1.0, maxSilence: PT1H}  | 5 6.5 6 7.4 7.6    | 5 6.5 7.6
      {measurement: concentration, percent: 10, maxSilence: PT1H}    | 100 109 111 101 99 | 100 111 99
      {measurement: '*', absolute: 2, maxSilence: PT1H}              | 1 2 3 3.5          | 1 3.5
      {measurement: concentration, absolute: 1, percent: 50, maxSilence: PT1H} | 10 14 16 | 10 16
      """)
  void forwardsOnlyMovesBiggerThanTheBand(String deadband, String readings, String forwarded) {
    RuleKit kit = RuleKit.withRules("deadbands: [" + deadband + "]", "gas-1");
    for (String v : readings.trim().split("\\s+")) {
      kit.send(kit.reading("gas-1", "concentration", Double.parseDouble(v)));
      kit.clock.advance(Duration.ofSeconds(1));
    }
    assertThat(kit.emitted).extracting(a -> a.measurements().get(0).value())
        .containsExactlyElementsOf(List.of(forwarded.trim().split("\\s+")).stream().map(Double::valueOf).toList());
  }

  @Test
  void silenceLongerThanMaxSilence_sendsOneHeartbeatSummaryWithMinMaxMeanAndCount() {
    RuleKit kit = RuleKit.withRules("deadbands: [{measurement: concentration, absolute: 5, maxSilence: PT15M}]", "gas-1");
    kit.send(kit.reading("gas-1", "concentration", 2));
    for (int s = 1; s <= 15 * 60; s++) {
      kit.clock.advance(Duration.ofSeconds(1));
      kit.send(kit.reading("gas-1", "concentration", s % 2 == 0 ? 1 : 3));
      kit.tick();
    }
    assertThat(kit.emitted).hasSize(2);
    AlertDraft summary = kit.emitted.get(1);
    assertThat(summary.attributes()).containsEntry("summary", "heartbeat").containsEntry("samples.concentration", "900");
    assertThat(summary.measurements()).extracting(Measurement::name, Measurement::value)
        .contains(org.assertj.core.groups.Tuple.tuple("concentration.min", 1.0),
            org.assertj.core.groups.Tuple.tuple("concentration.max", 3.0),
            org.assertj.core.groups.Tuple.tuple("concentration.mean", 2.0));
  }

  @Test
  void heartbeatIsSentByTheTickWhenReadingsStop() {
    RuleKit kit = RuleKit.withRules("deadbands: [{measurement: concentration, absolute: 5, maxSilence: PT1M}]", "gas-1");
    kit.send(kit.reading("gas-1", "concentration", 2));
    kit.send(kit.reading("gas-1", "concentration", 2.5));
    kit.run(Duration.ofSeconds(59), Duration.ofSeconds(1));
    assertThat(kit.emitted).hasSize(1);
    kit.run(Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThat(kit.emitted).hasSize(2);
    kit.run(Duration.ofMinutes(10), Duration.ofSeconds(1));
    assertThat(kit.emitted).as("no readings, no heartbeat").hasSize(2);
  }
}
