package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.rule.spec.SitePath;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Maintenance windows for a device or a site. */
class MaintenanceTest {

  @Test
  void deviceWindow_holdsEventsBack_reportsEnterAndLeave_andClosesOpenEpisodes() {
    RuleKit kit = RuleKit.withRules("{}", "gas-1", "gas-2");
    kit.send(kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.ACTIVE, 2, ""));
    kit.engine.enterMaintenance(MaintenanceScope.device("gas-1"), kit.clock.instant().plus(Duration.ofMinutes(30)));
    kit.tick();
    for (int i = 0; i < 10; i++) {
      kit.send(kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.ACTIVE, 2, ""));
    }
    kit.send(kit.alarm("gas-2", CanonicalType.GAS_LEAK, Phase.ACTIVE, 2, ""));
    kit.run(Duration.ofMinutes(30), Duration.ofSeconds(10));

    assertThat(kit.emitted).extracting(a -> a.type() + "/" + a.state() + "/" + a.device().deviceId())
        .containsExactly(
            "GAS_LEAK/RAISED/gas-1",
            "GAS_LEAK/CLEARED/gas-1",
            "MAINTENANCE/RAISED/gas-1",
            "GAS_LEAK/RAISED/gas-2",
            "MAINTENANCE/CLEARED/gas-1");
    AlertDraft left = kit.emitted.get(4);
    assertThat(left.attributes()).containsEntry("inhibitedEvents", "10").containsEntry("endedBy", "expiry");
    assertThat(kit.emitted.get(1).attributes()).containsEntry("clearedBy", "maintenance");
    assertThat(kit.counters.get("rule_inhibited", "gas-1", "GAS_LEAK")).isEqualTo(10);

    kit.send(kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.ACTIVE, 1, ""));
    assertThat(kit.emitted.get(5).state().name()).isEqualTo("RAISED");
  }

  @Test
  void siteWindow_coversEveryDeviceUnderThePath_andCanBeLeftEarly() {
    RuleKit kit = new RuleKit();
    kit.engine = kit.engine("{}", io.commguard.gateway.rule.spec.GatewayRules.NONE, RuleStateStore.IN_MEMORY,
        java.util.List.of(RuleKit.device("cam-b3", RuleKit.SITE),
            RuleKit.device("cam-b4", new io.commguard.gateway.model.Site("310115001", "", "B4", "", "", ""))));
    MaintenanceScope b3 = MaintenanceScope.site(SitePath.parse("310115001/B3"));
    kit.engine.enterMaintenance(b3, kit.clock.instant().plus(Duration.ofHours(2)));
    kit.tick();
    kit.send(kit.alarm("cam-b3", CanonicalType.PERIMETER_INTRUSION, Phase.ACTIVE, 2, "ch1"));
    kit.send(kit.alarm("cam-b4", CanonicalType.PERIMETER_INTRUSION, Phase.ACTIVE, 2, "ch1"));
    assertThat(kit.engine.maintenanceWindows()).singleElement()
        .satisfies(w -> assertThat(w.inhibitedEvents()).isEqualTo(1));
    kit.engine.leaveMaintenance(b3);
    kit.tick();

    assertThat(kit.emitted).extracting(a -> a.type() + "/" + a.state() + "/" + a.device().deviceId())
        .containsExactly("MAINTENANCE/RAISED/gw-test", "PERIMETER_INTRUSION/RAISED/cam-b4", "MAINTENANCE/CLEARED/gw-test");
    assertThat(kit.emitted.get(0).device().site().building()).isEqualTo("B3");
    assertThat(kit.emitted.get(2).attributes()).containsEntry("endedBy", "operator");
    assertThat(kit.engine.maintenanceWindows()).isEmpty();
  }

  @Test
  void extendingAWindow_isAnUpdateOfTheSameAlert() {
    RuleKit kit = RuleKit.withRules("{}", "gas-1");
    kit.engine.enterMaintenance(MaintenanceScope.device("gas-1"), kit.clock.instant().plus(Duration.ofMinutes(5)));
    kit.tick();
    kit.engine.enterMaintenance(MaintenanceScope.device("gas-1"), kit.clock.instant().plus(Duration.ofMinutes(50)));
    kit.tick();
    kit.run(Duration.ofMinutes(10), Duration.ofMinutes(1));
    assertThat(kit.emitted).extracting(a -> a.state().name()).containsExactly("RAISED", "UPDATED");
    assertThat(kit.emitted).extracting(AlertDraft::alertId).containsOnly("a1");
  }

  @Test
  void unknownDeviceOrPastEnd_isRefusedAtOnce() {
    RuleKit kit = RuleKit.withRules("{}", "gas-1");
    assertThatThrownBy(() -> kit.engine.enterMaintenance(MaintenanceScope.device("nope"),
        kit.clock.instant().plusSeconds(60))).hasMessageContaining("unknown device nope");
    assertThatThrownBy(() -> kit.engine.enterMaintenance(MaintenanceScope.device("gas-1"), kit.clock.instant()))
        .hasMessageContaining("future");
  }

  @Test
  void levelOneAlarm_duringMaintenance_travelsFlagged_whileLesserEventsAreHeld() {
    RuleKit kit = RuleKit.withRules("{}", "gas-1");
    kit.engine.enterMaintenance(MaintenanceScope.device("gas-1"), kit.clock.instant().plus(Duration.ofHours(1)));
    kit.tick();
    kit.send(kit.alarm("gas-1", CanonicalType.TAMPER, Phase.ACTIVE, 3, ""));
    kit.send(kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.ACTIVE, 1, "s1"));
    kit.send(kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.ACTIVE, 2, "s1"));
    kit.send(kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.INACTIVE, 4, "s1"));
    kit.run(Duration.ofMinutes(2), Duration.ofSeconds(10));

    assertThat(kit.emitted).extracting(a -> a.type() + "/" + a.state() + "/" + a.level())
        .containsExactly("MAINTENANCE/RAISED/4", "GAS_LEAK/RAISED/1", "GAS_LEAK/UPDATED/2", "GAS_LEAK/CLEARED/2");
    assertThat(kit.emitted.subList(1, 4)).allSatisfy(a ->
        assertThat(a.attributes()).containsEntry(RuleEngine.DURING_MAINTENANCE, "device:gas-1"));
    assertThat(kit.emitted.get(0).attributes()).doesNotContainKey(RuleEngine.DURING_MAINTENANCE);
    assertThat(kit.counters.get("rule_inhibited", "gas-1", "TAMPER")).isEqualTo(1);
    assertThat(kit.engine.maintenanceWindows()).singleElement()
        .satisfies(w -> assertThat(w.inhibitedEvents()).isEqualTo(1));
  }

  @Test
  void readingReachingLevelOne_duringMaintenance_raisesTheAlarm_lowerReadingsAreHeld() {
    RuleKit kit = RuleKit.withRules(ThresholdRuleTest.GAS, "gas-1");
    kit.engine.enterMaintenance(MaintenanceScope.device("gas-1"), kit.clock.instant().plus(Duration.ofHours(1)));
    kit.tick();
    kit.send(kit.reading("gas-1", "concentration", 30));
    kit.send(kit.reading("gas-1", "concentration", 80));

    assertThat(kit.emitted).extracting(a -> a.type() + "/" + a.state() + "/" + a.level())
        .containsExactly("MAINTENANCE/RAISED/4", "GAS_LEAK/RAISED/1");
    assertThat(kit.emitted.get(1).attributes()).containsEntry(RuleEngine.DURING_MAINTENANCE, "device:gas-1");
  }

  @Test
  void windowEndingBeyondTheMaximum_isRefused_theMaximumItselfIsAccepted() {
    RuleKit kit = RuleKit.withRules("{}", "gas-1");
    MaintenanceScope gas = MaintenanceScope.device("gas-1");
    assertThatThrownBy(() -> kit.engine.enterMaintenance(gas, java.time.Instant.parse("+999999999-12-31T23:59:59Z")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 24 h ahead");
    assertThatThrownBy(() -> kit.engine.enterMaintenance(gas, kit.clock.instant().plus(Duration.ofHours(24)).plusSeconds(1)))
        .hasMessageContaining("admin.maxMaintenanceHours");
    kit.engine.enterMaintenance(gas, kit.clock.instant().plus(Duration.ofHours(24)));
    kit.tick();
    assertThat(kit.emitted).extracting(a -> a.type() + "/" + a.state()).containsExactly("MAINTENANCE/RAISED");
  }

  @Test
  void failingMaintenanceCommand_isCountedAndLogged_andLaterAlarmsStillFlow() {
    RuleKit kit = new RuleKit();
    kit.engine = kit.engine("{}", io.commguard.gateway.rule.spec.GatewayRules.NONE, new FailingStore("maintenance/"),
        "gas-1");
    kit.engine.enterMaintenance(MaintenanceScope.device("gas-1"), kit.clock.instant().plus(Duration.ofHours(1)));
    kit.tick();
    kit.send(kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.ACTIVE, 2, ""));
    kit.tick();

    assertThat(kit.counters.get("rule_step_failed", "", "maintenance_command")).isEqualTo(1);
    assertThat(kit.engine.maintenanceWindows()).as("no half-made window").isEmpty();
    assertThat(kit.emitted).extracting(a -> a.type() + "/" + a.state()).containsExactly("GAS_LEAK/RAISED");
  }

  @Test
  void restoredWindowEndingBeyondTheMaximum_isShortenedToIt() {
    RuleKit kit = new RuleKit();
    String state = StateCodec.write(new StateCodec.MaintenanceState("device:gas-1", "m1",
        kit.clock.instant().toEpochMilli(), kit.clock.instant().plus(Duration.ofDays(300)).toEpochMilli(), 0));
    kit.engine = kit.engine("{}", io.commguard.gateway.rule.spec.GatewayRules.NONE,
        new FailingStore("never/", java.util.Map.of("maintenance/device:gas-1", state)), "gas-1");

    assertThat(kit.engine.maintenanceWindows()).singleElement()
        .satisfies(w -> assertThat(w.until()).isEqualTo(kit.clock.instant().plus(Duration.ofHours(24))));
  }

  /** A store that fails every write under one key prefix, as a broken encoder would. */
  private static final class FailingStore extends RuleStateStore {
    private final String failingPrefix;

    FailingStore(String failingPrefix) {
      this(failingPrefix, java.util.Map.of());
    }

    FailingStore(String failingPrefix, java.util.Map<String, String> loaded) {
      super(loaded);
      this.failingPrefix = failingPrefix;
    }

    @Override
    void put(String key, String json) {
      if (key.startsWith(failingPrefix)) {
        throw new IllegalStateException("write failed for " + key);
      }
      super.put(key, json);
    }
  }
}
