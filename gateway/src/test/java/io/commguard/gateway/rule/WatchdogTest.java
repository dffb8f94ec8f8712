package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.rule.spec.HouseholdSpec;
import io.commguard.gateway.rule.spec.GatewayRules;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Device offline and ELDERLY_NO_ACTIVITY, the two alerts derived from silence. */
class WatchdogTest {

  @Test
  void silentDevice_goesOfflineAfterNIntervals_andReturnsWithItsNextMessage() {
    RuleKit kit = RuleKit.withRules("offline: {expectedInterval: PT10S, missedIntervals: 3}", "gas-1");
    kit.run(Duration.ofSeconds(29), Duration.ofSeconds(1));
    assertThat(kit.emitted).isEmpty();
    kit.run(Duration.ofSeconds(1), Duration.ofSeconds(1));
    kit.run(Duration.ofMinutes(5), Duration.ofSeconds(1));
    kit.send(kit.reading("gas-1", "concentration", 0));

    List<AlertDraft> offline = kit.emitted.stream().filter(a -> a.type() == CanonicalType.DEVICE_OFFLINE).toList();
    assertThat(offline).extracting(a -> a.state().name()).containsExactly("RAISED", "CLEARED");
    assertThat(offline).extracting(AlertDraft::alertId).containsOnly(offline.get(0).alertId());
    assertThat(offline.get(0).kind()).isEqualTo(EventKind.STATUS);
    assertThat(offline.get(0).level()).isEqualTo(4);
  }

  @Test
  void devicesWithoutExpectedInterval_orInMaintenance_areNotReported() {
    RuleKit kit = RuleKit.withRules("{}", "cam-1");
    kit.run(Duration.ofHours(1), Duration.ofMinutes(1));
    assertThat(kit.emitted).isEmpty();

    RuleKit m = RuleKit.withRules("offline: {expectedInterval: PT10S}", "gas-1");
    m.engine.enterMaintenance(MaintenanceScope.device("gas-1"), m.clock.instant().plus(Duration.ofHours(1)));
    m.run(Duration.ofMinutes(30), Duration.ofSeconds(5));
    assertThat(m.emitted).extracting(AlertDraft::type).containsOnly(CanonicalType.MAINTENANCE);
  }

  @Test
  void household_withoutActivityForHInsideTheWindow_raisesLevel2_andActivityClearsIt() {
    RuleKit kit = new RuleKit();
    // T0 is 10:00 in Shanghai. Window 07:00-21:00, 4 h without activity.
    HouseholdSpec hh = new HouseholdSpec("hh-b3-0502", List.of("door-0502"), LocalTime.of(7, 0), LocalTime.of(21, 0),
        Duration.ofHours(4), Set.of(EventKind.ACCESS, EventKind.ALARM), ZoneId.of("Asia/Shanghai"), "B3-2-0502");
    kit.engine = kit.engine("{}", new GatewayRules(List.of(), Map.of(), List.of(hh)), RuleStateStore.IN_MEMORY,
        "door-0502");
    kit.send(kit.access("door-0502", CanonicalType.ACCESS_GRANTED));
    kit.run(Duration.ofHours(4).minusMinutes(1), Duration.ofMinutes(1));
    assertThat(kit.emitted).noneMatch(a -> a.type() == CanonicalType.ELDERLY_NO_ACTIVITY);
    kit.run(Duration.ofMinutes(1), Duration.ofMinutes(1));
    kit.run(Duration.ofHours(1), Duration.ofMinutes(1));
    kit.send(kit.access("door-0502", CanonicalType.ACCESS_GRANTED));

    List<AlertDraft> derived = kit.emitted.stream().filter(a -> a.type() == CanonicalType.ELDERLY_NO_ACTIVITY).toList();
    assertThat(derived).extracting(a -> a.state().name()).containsExactly("RAISED", "CLEARED");
    assertThat(derived.get(0).level()).isEqualTo(2);
    assertThat(derived.get(0).device().deviceId()).isEqualTo("hh-b3-0502");
    assertThat(derived.get(0).device().location()).isEqualTo("B3-2-0502");
    assertThat(derived.get(0).occurredAt()).isEqualTo(RuleKit.T0);
  }

  @Test
  void household_nightIsOutsideTheWindow_andTheQuietClockRestartsAtWindowStart() {
    RuleKit kit = new RuleKit();
    HouseholdSpec hh = new HouseholdSpec("hh-1", List.of("door-1"), LocalTime.of(7, 0), LocalTime.of(21, 0),
        Duration.ofHours(4), Set.of(EventKind.ACCESS), ZoneId.of("Asia/Shanghai"), null);
    kit.engine = kit.engine("{}", new GatewayRules(List.of(), Map.of(), List.of(hh)), RuleStateStore.IN_MEMORY, "door-1");
    // 20:00 local: activity, then silence all night; the window reopens at 07:00, alert due at 11:00.
    kit.clock.set(java.time.Instant.parse("2026-11-22T12:00:00Z"));
    kit.send(kit.access("door-1", CanonicalType.ACCESS_GRANTED));
    kit.run(Duration.ofHours(14).plusMinutes(59), Duration.ofMinutes(1));
    assertThat(kit.emitted).noneMatch(a -> a.type() == CanonicalType.ELDERLY_NO_ACTIVITY);
    kit.run(Duration.ofMinutes(1), Duration.ofMinutes(1));
    assertThat(kit.emitted).filteredOn(a -> a.type() == CanonicalType.ELDERLY_NO_ACTIVITY).hasSize(1);
  }

  @Test
  void telemetryIsNotActivityByDefault() {
    RuleKit kit = new RuleKit();
    HouseholdSpec hh = new HouseholdSpec("hh-1", List.of("gas-1"), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT,
        Duration.ofHours(2), Set.of(EventKind.ACCESS, EventKind.ALARM), null, null);
    kit.engine = kit.engine("deadbands: [{measurement: '*', absolute: 100, maxSilence: PT24H}]",
        new GatewayRules(List.of(), Map.of(), List.of(hh)), RuleStateStore.IN_MEMORY, "gas-1");
    for (int i = 0; i < 120; i++) {
      kit.clock.advance(Duration.ofMinutes(1));
      kit.send(kit.reading("gas-1", "concentration", 0));
      kit.tick();
    }
    assertThat(kit.emitted).filteredOn(a -> a.type() == CanonicalType.ELDERLY_NO_ACTIVITY).hasSize(1);
    kit.send(kit.alarm("gas-1", CanonicalType.GAS_LEAK, Phase.ACTIVE, 2, ""));
    assertThat(kit.emitted).filteredOn(a -> a.type() == CanonicalType.ELDERLY_NO_ACTIVITY)
        .extracting(a -> a.state().name()).containsExactly("RAISED", "CLEARED");
  }
}
