package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.rule.spec.GatewayRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Open episodes and rule state survive a restart, in a real SQLite file. */
class RuleStatePersistenceTest {
  private static final String RULES = ThresholdRuleTest.GAS.replace("absolute: 1000", "absolute: 5")
      + "alarms: [{type: HIGH_ALTITUDE_THROW, quietClearAfter: PT10M}]\n";

  @TempDir
  Path dir;

  @Test
  void restart_neitherReRaisesNorLosesAnOpenAlarm() throws Exception {
    Path file = dir.resolve(RuleEngine.STATE_FILE);
    RuleKit before = new RuleKit();
    SqliteRuleStateStore store = SqliteRuleStateStore.open(file, new Counters());
    before.engine = before.engine(RULES, GatewayRules.NONE, store, "gas-1", "cam-1", "gas-9");
    before.send(before.reading("gas-1", "concentration", 30));
    before.send(before.alarm("cam-1", CanonicalType.HIGH_ALTITUDE_THROW, Phase.PULSE, 2, "ch1", "img-1"));
    before.engine.enterMaintenance(MaintenanceScope.device("gas-9"), before.clock.instant().plus(Duration.ofHours(1)));
    before.tick();
    before.engine.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
    before.engine.close();
    String gasId = before.emitted.stream().filter(a -> a.type() == CanonicalType.GAS_LEAK).findFirst().orElseThrow()
        .alertId();
    String throwId = before.emitted.stream().filter(a -> a.type() == CanonicalType.HIGH_ALTITUDE_THROW).findFirst()
        .orElseThrow().alertId();

    RuleKit after = new RuleKit();
    after.clock.set(before.clock.instant().plus(Duration.ofSeconds(30)));
    try (SqliteRuleStateStore reopened = SqliteRuleStateStore.open(file, new Counters())) {
      after.engine = after.engine(RULES, GatewayRules.NONE, reopened, "gas-1", "cam-1", "gas-9");
      List<AlertDraft> first = after.tick();
      assertThat(first).extracting(a -> a.alertId() + "/" + a.state() + "/" + a.attributes().get("restored"))
          .containsExactlyInAnyOrder(gasId + "/UPDATED/true", throwId + "/UPDATED/true");

      after.send(after.reading("gas-1", "concentration", 22));
      after.send(after.alarm("cam-1", CanonicalType.HIGH_ALTITUDE_THROW, Phase.PULSE, 2, "ch1", "img-1"));
      after.send(after.alarm("gas-9", CanonicalType.GAS_LEAK, Phase.ACTIVE, 2, ""));
      after.send(after.reading("gas-1", "concentration", 10));
      after.clock.advance(Duration.ofMinutes(11));
      after.tick();

      List<AlertDraft> alarms = after.emitted.stream().filter(a -> a.kind() != EventKind.TELEMETRY).toList();
      // Restored episodes are re-announced in key order (device id first).
      assertThat(alarms).extracting(a -> a.type() + "/" + a.state())
          .containsExactly("HIGH_ALTITUDE_THROW/UPDATED", "GAS_LEAK/UPDATED", "GAS_LEAK/CLEARED",
              "HIGH_ALTITUDE_THROW/CLEARED");
      assertThat(alarms).extracting(AlertDraft::alertId).containsExactly(throwId, gasId, gasId, throwId);
      assertThat(alarms).noneMatch(a -> a.state() == AlertState.RAISED);
      assertThat(after.engine.maintenanceWindows()).singleElement()
          .satisfies(w -> assertThat(w.scope()).isEqualTo("device:gas-9"));
      assertThat(after.counters.get("rule_inhibited", "gas-9", "GAS_LEAK")).isEqualTo(1);
      after.engine.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT (SELECT COUNT(*) FROM rule_state WHERE key LIKE 'episode/%'),"
                + " (SELECT COUNT(*) FROM inhibited_event WHERE device_id = 'gas-9')")) {
      rs.next();
      assertThat(rs.getInt(1)).as("no episode left open on disk").isZero();
      assertThat(rs.getInt(2)).as("the event held under maintenance is kept locally").isEqualTo(1);
    }
  }

  @Test
  void openEpisodeOfADeviceRemovedFromTheConfig_isClearedAtTheFirstTick() throws Exception {
    Path file = dir.resolve(RuleEngine.STATE_FILE);
    RuleKit before = new RuleKit();
    try (SqliteRuleStateStore store = SqliteRuleStateStore.open(file, new Counters())) {
      before.engine = before.engine(RULES, GatewayRules.NONE, store, "gas-1", "gas-2");
      before.send(before.reading("gas-1", "concentration", 30));
      before.engine.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    RuleKit after = new RuleKit();
    try (SqliteRuleStateStore store = SqliteRuleStateStore.open(file, new Counters())) {
      after.engine = after.engine(RULES, GatewayRules.NONE, store, "gas-2");
      assertThat(after.tick()).singleElement().satisfies(a -> {
        assertThat(a.alertId()).isEqualTo(before.emitted.stream()
            .filter(x -> x.type() == CanonicalType.GAS_LEAK).findFirst().orElseThrow().alertId());
        assertThat(a.state()).isEqualTo(AlertState.CLEARED);
        assertThat(a.attributes()).containsEntry("clearedBy", "deconfigured");
      });
      assertThat(after.tick()).isEmpty();
    }
  }

  @Test
  void clearedEpisode_whoseClearedNeverReachedTheOutbox_isClearedAgainAfterRestart() throws Exception {
    Path file = dir.resolve(RuleEngine.STATE_FILE);
    RuleKit before = new RuleKit();
    try (SqliteRuleStateStore store = SqliteRuleStateStore.open(file, new Counters())) {
      gasEngine(before, store);
      // The rule state is committed, then the gateway dies before the outbox commits the CLEARED.
      raiseThenClear(before, false);
      flush(before);
    }
    AlertDraft cleared = gasAlarms(before).stream().filter(a -> a.state() == AlertState.CLEARED).findFirst().orElseThrow();

    RuleKit after = new RuleKit();
    try (SqliteRuleStateStore store = SqliteRuleStateStore.open(file, new Counters())) {
      gasEngine(after, store);
      assertThat(after.tick()).singleElement().satisfies(a -> {
        assertThat(a.alertId()).isEqualTo(cleared.alertId());
        assertThat(a.state()).isEqualTo(AlertState.CLEARED);
        assertThat(a.detectedAt()).isEqualTo(cleared.detectedAt());
        assertThat(a.attributes()).containsEntry("restored", "true");
      });
      assertThat(after.tick()).isEmpty();
      flush(after);
    }
    assertThat(episodesOnDisk(file)).as("the tombstone goes once the outbox has the CLEARED").isZero();
  }

  @Test
  void clearedEpisode_committedToTheOutbox_leavesNothingToReplay() throws Exception {
    Path file = dir.resolve(RuleEngine.STATE_FILE);
    RuleKit before = new RuleKit();
    try (SqliteRuleStateStore store = SqliteRuleStateStore.open(file, new Counters())) {
      gasEngine(before, store);
      raiseThenClear(before, true);
      flush(before);
    }
    assertThat(gasAlarms(before)).extracting(AlertDraft::state).containsExactly(AlertState.RAISED, AlertState.CLEARED);
    assertThat(episodesOnDisk(file)).isZero();
    RuleKit after = new RuleKit();
    try (SqliteRuleStateStore store = SqliteRuleStateStore.open(file, new Counters())) {
      gasEngine(after, store);
      assertThat(after.tick()).isEmpty();
    }
  }

  @Test
  void tombstoneOfAClearedEpisode_neverRemovesTheNextEpisodeUnderTheSameKey() throws Exception {
    Path file = dir.resolve(RuleEngine.STATE_FILE);
    RuleKit before = new RuleKit();
    try (SqliteRuleStateStore store = SqliteRuleStateStore.open(file, new Counters())) {
      gasEngine(before, store);
      before.send(before.reading("gas-1", "concentration", 30));
      before.outboxCommits = false;
      List<AlertDraft> firstClear = before.send(before.reading("gas-1", "concentration", 10));
      before.send(before.reading("gas-1", "concentration", 35));
      // The first episode's CLEARED reaches the outbox only after the second episode was raised.
      before.engine.committed(firstClear);
      flush(before);
    }
    List<AlertDraft> alarms = gasAlarms(before);
    assertThat(alarms).extracting(AlertDraft::state).containsExactly(AlertState.RAISED, AlertState.CLEARED, AlertState.RAISED);
    RuleKit after = new RuleKit();
    try (SqliteRuleStateStore store = SqliteRuleStateStore.open(file, new Counters())) {
      gasEngine(after, store);
      assertThat(after.tick()).singleElement().satisfies(a -> {
        assertThat(a.alertId()).isEqualTo(alarms.get(2).alertId());
        assertThat(a.state()).isEqualTo(AlertState.UPDATED);
      });
    }
  }

  private static void raiseThenClear(RuleKit kit, boolean outboxCommitsTheClear) {
    kit.send(kit.reading("gas-1", "concentration", 30));
    kit.outboxCommits = outboxCommitsTheClear;
    kit.send(kit.reading("gas-1", "concentration", 10));
    kit.tick();
  }

  private static void gasEngine(RuleKit kit, SqliteRuleStateStore store) {
    kit.engine = kit.engine(RULES, GatewayRules.NONE, store, "gas-1");
  }

  private static void flush(RuleKit kit) throws Exception {
    kit.engine.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static List<AlertDraft> gasAlarms(RuleKit kit) {
    return kit.emitted.stream().filter(a -> a.type() == CanonicalType.GAS_LEAK && a.kind() != EventKind.TELEMETRY).toList();
  }

  private static int episodesOnDisk(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM rule_state WHERE key LIKE 'episode/%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void deadbandBaseline_survivesRestart() throws Exception {
    Path file = dir.resolve(RuleEngine.STATE_FILE);
    RuleKit before = new RuleKit();
    try (SqliteRuleStateStore store = SqliteRuleStateStore.open(file, new Counters())) {
      before.engine = before.engine(RULES, GatewayRules.NONE, store, "gas-1");
      before.send(before.reading("gas-1", "concentration", 3));
      before.engine.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    RuleKit after = new RuleKit();
    try (SqliteRuleStateStore store = SqliteRuleStateStore.open(file, new Counters())) {
      after.engine = after.engine(RULES, GatewayRules.NONE, store, "gas-1");
      after.send(after.reading("gas-1", "concentration", 4));
      after.send(after.reading("gas-1", "concentration", 8.5));
    }
    assertThat(after.emitted).extracting(a -> a.measurements().get(0).value()).containsExactly(8.5);
  }

  @Test
  void unreadableFile_isMovedAside_andTheEngineStartsEmpty() throws Exception {
    Path file = dir.resolve(RuleEngine.STATE_FILE);
    Files.writeString(file, "this is not a database, it is a file that got corrupted somehow ".repeat(100));
    try (SqliteRuleStateStore store = SqliteRuleStateStore.open(file, new Counters())) {
      assertThat(store.loaded()).isEmpty();
      store.put("threshold/gas-1/concentration", "2");
      store.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("rules.db.corrupt-"));
    }
    try (SqliteRuleStateStore store = SqliteRuleStateStore.open(file, new Counters())) {
      assertThat(store.loaded()).containsEntry("threshold/gas-1/concentration", "2");
    }
  }
}
