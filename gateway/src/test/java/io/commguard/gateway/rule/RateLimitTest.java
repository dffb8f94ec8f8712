package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.Phase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Per-device token bucket; suppressed alerts counted and summarised once. */
class RateLimitTest {
  private static final String RULES = """
      rateLimit: {eventsPerSecond: 1, burst: 5, summaryInterval: PT60S}
      alarms: [{type: ANY, quietClearAfter: PT10M}]
      """;

  @Test
  void floodingDevice_isCappedAtItsBucket_othersUnaffected_andOneSummaryReportsTheRest() {
    RuleKit kit = RuleKit.withRules(RULES, "cam-flood", "cam-quiet");
    for (int i = 0; i < 100; i++) {
      kit.send(kit.alarm("cam-flood", CanonicalType.LOITERING, Phase.PULSE, 4, "region-" + i));
    }
    kit.send(kit.alarm("cam-quiet", CanonicalType.LOITERING, Phase.PULSE, 4, "region-0"));

    assertThat(kit.emitted).filteredOn(a -> a.device().deviceId().equals("cam-flood")).hasSize(5);
    assertThat(kit.emitted).filteredOn(a -> a.device().deviceId().equals("cam-quiet")).hasSize(1);
    assertThat(kit.counters.get("rule_rate_limited", "cam-flood", "LOITERING")).isEqualTo(95);

    kit.run(Duration.ofSeconds(59), Duration.ofSeconds(1));
    assertThat(kit.emitted).noneMatch(a -> a.type() == CanonicalType.GATEWAY_SUMMARY);
    kit.run(Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThat(kit.emitted).filteredOn(a -> a.type() == CanonicalType.GATEWAY_SUMMARY).singleElement()
        .satisfies(s -> {
          assertThat(s.device().deviceId()).isEqualTo("cam-flood");
          assertThat(s.attributes()).containsEntry("suppressed", "95").containsEntry("suppressed.LOITERING", "95");
        });
    kit.run(Duration.ofMinutes(5), Duration.ofSeconds(1));
    assertThat(kit.emitted).filteredOn(a -> a.type() == CanonicalType.GATEWAY_SUMMARY).hasSize(1);
  }

  @Test
  void levelOneAndClears_areNeverSuppressed() {
    RuleKit kit = RuleKit.withRules(RULES, "cam-1");
    for (int i = 0; i < 20; i++) {
      kit.send(kit.alarm("cam-1", CanonicalType.FIRE_SMOKE, Phase.ACTIVE, 1, "ch" + i));
    }
    for (int i = 0; i < 20; i++) {
      kit.send(kit.alarm("cam-1", CanonicalType.FIRE_SMOKE, Phase.INACTIVE, 1, "ch" + i));
    }
    assertThat(kit.emitted).extracting(AlertDraft::state).filteredOn(s -> s == AlertState.RAISED).hasSize(20);
    assertThat(kit.emitted).extracting(AlertDraft::state).filteredOn(s -> s == AlertState.CLEARED).hasSize(20);
  }

  @Test
  void suppressedRaise_isRetriedWhenTokensReturn_soTheEpisodeStillOpensOnce() {
    RuleKit kit = RuleKit.withRules("rateLimit: {eventsPerSecond: 1, burst: 1}", "cam-1");
    kit.send(kit.alarm("cam-1", CanonicalType.LOITERING, Phase.ACTIVE, 4, "a"));
    kit.send(kit.alarm("cam-1", CanonicalType.LOITERING, Phase.ACTIVE, 4, "b"));
    assertThat(kit.emitted).hasSize(1);
    kit.clock.advance(Duration.ofSeconds(1));
    kit.send(kit.alarm("cam-1", CanonicalType.LOITERING, Phase.ACTIVE, 4, "b"));
    kit.send(kit.alarm("cam-1", CanonicalType.LOITERING, Phase.INACTIVE, 4, "b"));
    assertThat(kit.emitted).extracting(a -> a.state() + "/" + a.alertId())
        .containsExactly("RAISED/a1", "RAISED/a3", "CLEARED/a3");
  }
}
