package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.rule.spec.GatewayRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule state survives a restart in the outbox database (real SQLite files), committed in the same
 * transaction as the alerts it explains; state of an earlier release's {@code rules.db} is imported.
 */
class RuleStatePersistenceTest {
  private static final String RULES = ThresholdRuleTest.GAS.replace("absolute: 1000", "absolute: 5")
      + "alarms: [{type: HIGH_ALTITUDE_THROW, quietClearAfter: PT10M}]\n";

  @TempDir
  Path dir;

  private final List<SqliteOutbox> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(SqliteOutbox::close);
  }

  /** Opens the outbox of {@code dir} and an engine over the state committed in it, as the gateway boots. */
  private RuleKit boot(RuleKit kit, GatewayRules gatewayRules, String... devices) {
    SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir, "gw-test", new Counters());
    outbox.start(List.of("uplink"));
    open.add(outbox);
    kit.store = outbox;
    kit.engine = kit.engine(RULES, gatewayRules, new RuleStateStore(outbox.ruleState()), devices);
    return kit;
  }

  /** A clean stop: the outbox has committed everything. */
  private void stop() {
    open.forEach(SqliteOutbox::close);
    open.clear();
  }

  @Test
  void restart_neitherReRaisesNorLosesAnOpenAlarm_norAnnouncesItAgain() throws Exception {
    RuleKit before = boot(new RuleKit(), GatewayRules.NONE, "gas-1", "cam-1", "gas-9");
    before.send(before.reading("gas-1", "concentration", 30));
    before.send(before.alarm("cam-1", CanonicalType.HIGH_ALTITUDE_THROW, Phase.PULSE, 2, "ch1", "img-1"));
    before.engine.enterMaintenance(MaintenanceScope.device("gas-9"), before.clock.instant().plus(Duration.ofHours(1)));
    before.tick();
    stop();
    String gasId = before.emitted.stream().filter(a -> a.type() == CanonicalType.GAS_LEAK).findFirst().orElseThrow()
        .alertId();
    String throwId = before.emitted.stream().filter(a -> a.type() == CanonicalType.HIGH_ALTITUDE_THROW).findFirst()
        .orElseThrow().alertId();

    RuleKit after = new RuleKit();
    after.clock.set(before.clock.instant().plus(Duration.ofSeconds(30)));
    boot(after, GatewayRules.NONE, "gas-1", "cam-1", "gas-9");
    assertThat(after.tick()).as("the outbox already has every alert the state explains").isEmpty();

    after.send(after.reading("gas-1", "concentration", 22));
    after.send(after.alarm("cam-1", CanonicalType.HIGH_ALTITUDE_THROW, Phase.PULSE, 2, "ch1", "img-1"));
    after.send(after.alarm("gas-9", CanonicalType.GAS_LEAK, Phase.ACTIVE, 2, ""));
    after.send(after.reading("gas-1", "concentration", 10));
    after.clock.advance(Duration.ofMinutes(11));
    after.tick();

    List<AlertDraft> alarms = after.emitted.stream().filter(a -> a.kind() != EventKind.TELEMETRY).toList();
    assertThat(alarms).extracting(a -> a.type() + "/" + a.state())
        .containsExactly("GAS_LEAK/CLEARED", "HIGH_ALTITUDE_THROW/CLEARED");
    assertThat(alarms).extracting(AlertDraft::alertId).containsExactly(gasId, throwId);
    assertThat(after.engine.maintenanceWindows()).singleElement()
        .satisfies(w -> assertThat(w.scope()).isEqualTo("device:gas-9"));
    assertThat(after.counters.get("rule_inhibited", "gas-9", "GAS_LEAK")).isEqualTo(1);
    stop();

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("outbox.db"));
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT (SELECT COUNT(*) FROM rule_state WHERE key LIKE 'episode/%'),"
                + " (SELECT COUNT(*) FROM inhibited_event WHERE device_id = 'gas-9')")) {
      rs.next();
      assertThat(rs.getInt(1)).as("no episode left open on disk").isZero();
      assertThat(rs.getInt(2)).as("the event held under maintenance is kept locally").isEqualTo(1);
    }
  }

  @Test
  void eachCommit_holdsTheAlertsAndTheStateThatExplainsThem() throws Exception {
    RuleKit kit = boot(new RuleKit(), GatewayRules.NONE, "gas-1");
    kit.send(kit.reading("gas-1", "concentration", 30));
    String raised = gasAlarms(kit).get(0).alertId();
    assertThat(openEpisodeIds()).containsExactly(raised);
    assertThat(outboxStates(raised)).containsExactly("RAISED");

    kit.send(kit.reading("gas-1", "concentration", 10));
    assertThat(openEpisodeIds()).isEmpty();
    assertThat(outboxStates(raised)).containsExactly("RAISED", "CLEARED");
  }

  @Test
  void openEpisodeOfADeviceRemovedFromTheConfig_isClearedAtTheFirstTick() throws Exception {
    RuleKit before = boot(new RuleKit(), GatewayRules.NONE, "gas-1", "gas-2");
    before.send(before.reading("gas-1", "concentration", 30));
    stop();
    RuleKit after = boot(new RuleKit(), GatewayRules.NONE, "gas-2");
    assertThat(after.tick()).singleElement().satisfies(a -> {
      assertThat(a.alertId()).isEqualTo(gasAlarms(before).get(0).alertId());
      assertThat(a.state()).isEqualTo(AlertState.CLEARED);
      assertThat(a.attributes()).containsEntry("clearedBy", "deconfigured");
    });
    assertThat(after.tick()).isEmpty();
    assertThat(openEpisodeIds()).isEmpty();
  }

  @Test
  void deadbandBaseline_survivesRestart() throws Exception {
    RuleKit before = boot(new RuleKit(), GatewayRules.NONE, "gas-1");
    before.send(before.reading("gas-1", "concentration", 3));
    stop();
    RuleKit after = boot(new RuleKit(), GatewayRules.NONE, "gas-1");
    after.send(after.reading("gas-1", "concentration", 4));
    after.send(after.reading("gas-1", "concentration", 8.5));
    assertThat(after.emitted).extracting(a -> a.measurements().get(0).value()).containsExactly(8.5);
  }

  @Test
  void upgradeInPlace_importsTheOldRulesFile_reannouncesOpenEpisodesAndResendsPendingClears_once() throws Exception {
    // The state an earlier release left: one open episode and one cleared episode kept as a
    // tombstone (its CLEARED may not have reached that release's outbox).
    RuleKit recorder = boot(new RuleKit(), GatewayRules.NONE, "gas-1", "gas-2");
    recorder.send(recorder.reading("gas-1", "concentration", 30));
    recorder.send(recorder.reading("gas-2", "concentration", 30));
    stop();
    Map<String, String> state = stateIn(dir.resolve("outbox.db"));
    Files.delete(dir.resolve("outbox.db"));
    String openId = gasAlarms(recorder).get(0).alertId();
    String clearedId = gasAlarms(recorder).get(1).alertId();
    String gas2 = state.keySet().stream().filter(k -> k.startsWith("episode/gas-2")).findFirst().orElseThrow();
    state.put(gas2, state.get(gas2).replace("\"clearedAtMs\":0", "\"clearedAtMs\":1795000000000")
        .replace("\"clearedWith\":{}", "\"clearedWith\":{\"clearedBy\":\"quiet\"}"));
    writeOldRulesFile(state);

    RuleKit after = boot(new RuleKit(), GatewayRules.NONE, "gas-1", "gas-2");
    assertThat(after.tick()).extracting(a -> a.alertId() + "/" + a.state() + "/" + a.attributes().get("restored"))
        .containsExactlyInAnyOrder(openId + "/UPDATED/true", clearedId + "/CLEARED/true");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).doesNotContain("rules.db")
          .anyMatch(n -> n.startsWith("rules.db.imported-"));
    }
    assertThat(after.tick()).isEmpty();
    stop();

    RuleKit again = boot(new RuleKit(), GatewayRules.NONE, "gas-1", "gas-2");
    assertThat(again.tick()).as("imported once, announced once").isEmpty();
    assertThat(openEpisodeIds()).containsExactly(openId);
  }

  @Test
  void unreadableOldRulesFile_isSetAside_andTheGatewayStartsWithoutItsState() throws Exception {
    Files.writeString(dir.resolve("rules.db"), "this is not a database, it is a file that got corrupted somehow ".repeat(100));
    RuleKit kit = boot(new RuleKit(), GatewayRules.NONE, "gas-1");
    assertThat(kit.tick()).isEmpty();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("rules.db.imported-"));
    }
    kit.send(kit.reading("gas-1", "concentration", 30));
    assertThat(gasAlarms(kit)).extracting(AlertDraft::state).containsExactly(AlertState.RAISED);
  }

  private void writeOldRulesFile(Map<String, String> state) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("rules.db"))) {
      c.createStatement().execute("CREATE TABLE rule_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      var ps = c.prepareStatement("INSERT INTO rule_state(key, value) VALUES(?, ?)");
      for (Map.Entry<String, String> e : state.entrySet()) {
        ps.setString(1, e.getKey());
        ps.setString(2, e.getValue());
        ps.executeUpdate();
      }
    }
  }

  private static Map<String, String> stateIn(Path db) throws Exception {
    Map<String, String> state = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        ResultSet rs = c.createStatement().executeQuery("SELECT key, value FROM rule_state")) {
      while (rs.next()) {
        state.put(rs.getString(1), rs.getString(2));
      }
    }
    return state;
  }

  private List<String> openEpisodeIds() throws Exception {
    List<String> ids = new ArrayList<>();
    stateIn(dir.resolve("outbox.db")).forEach((k, v) -> {
      if (k.startsWith("episode/")) {
        ids.add(StateCodec.episode(v).alertId);
      }
    });
    return ids;
  }

  private List<String> outboxStates(String alertId) throws Exception {
    List<String> states = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("outbox.db"));
        var ps = c.prepareStatement("SELECT state FROM outbox WHERE alert_id = ? ORDER BY sequence")) {
      ps.setString(1, alertId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int n = rs.getInt(1);
          states.add(java.util.Arrays.stream(AlertState.values()).filter(st -> st.protoNumber() == n).findFirst()
              .orElseThrow().name());
        }
      }
    }
    return states;
  }

  private static List<AlertDraft> gasAlarms(RuleKit kit) {
    return kit.emitted.stream().filter(a -> a.type() == CanonicalType.GAS_LEAK && a.kind() != EventKind.TELEMETRY).toList();
  }
}
