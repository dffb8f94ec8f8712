package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.rule.spec.GatewayRules;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GB 16808-2025 style confirmation: two detectors of a zone before level 1. */
class GasConfirmationTest {
  private static final String RULES = "confirmation: {mode: TWO_DETECTORS, within: PT60S, unconfirmedLevel: 2}";

  @Test
  void singleDetector_raisesTheLowerLevel_secondDetectorWithinT_confirmsBothAtLevel1() {
    RuleKit kit = RuleKit.withRules(RULES, "gas-1", "gas-2");
    kit.send(kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.ACTIVE, 1, ""));
    assertThat(kit.emitted).singleElement().satisfies(a -> {
      assertThat(a.level()).isEqualTo(2);
      assertThat(a.attributes()).containsEntry("confirmation", "single_detector");
    });
    kit.clock.advance(Duration.ofSeconds(30));
    kit.send(kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.ACTIVE, 1, ""));
    kit.send(kit.alarm("gas-2", CanonicalType.GAS_LEAK, Phase.ACTIVE, 1, ""));

    assertThat(kit.emitted).extracting(a -> a.device().deviceId() + "/" + a.state() + "@" + a.level())
        .containsExactly("gas-1/RAISED@2", "gas-2/RAISED@1", "gas-1/UPDATED@1");
    assertThat(kit.emitted.get(2).attributes()).containsEntry("confirmation", "confirmed")
        .containsEntry("confirmedBy", "gas-2");
  }

  @Test
  void secondDetectorAfterT_doesNotConfirm() {
    RuleKit kit = RuleKit.withRules(RULES, "gas-1", "gas-2");
    kit.send(kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.ACTIVE, 1, ""));
    kit.clock.advance(Duration.ofSeconds(61));
    kit.send(kit.alarm("gas-2", CanonicalType.GAS_LEAK, Phase.ACTIVE, 1, ""));
    assertThat(kit.emitted).extracting(AlertDraft::level).containsExactly(2, 2);
  }

  @Test
  void detectorsOfDifferentZones_doNotConfirmEachOther() {
    RuleKit kit = new RuleKit();
    GatewayRules overrides = new GatewayRules(List.of(), Map.of("gas-2", RuleKit.rules("zone: kitchen-b9")), List.of());
    kit.engine = kit.engine(RULES, overrides, RuleStateStore.IN_MEMORY, "gas-1", "gas-2");
    kit.send(kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.ACTIVE, 1, ""));
    kit.send(kit.alarm("gas-2", CanonicalType.GAS_LEAK, Phase.ACTIVE, 1, ""));
    assertThat(kit.emitted).extracting(AlertDraft::level).containsExactly(2, 2);
    assertThat(kit.emitted.get(1).attributes()).containsEntry("zone", "kitchen-b9");
  }

  @Test
  void confirmationOff_keepsTheDevicesLevel() {
    RuleKit kit = RuleKit.withRules("{}", "gas-1");
    kit.send(kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.ACTIVE, 1, ""));
    assertThat(kit.emitted).singleElement().satisfies(a -> assertThat(a.level()).isEqualTo(1));
  }
}
