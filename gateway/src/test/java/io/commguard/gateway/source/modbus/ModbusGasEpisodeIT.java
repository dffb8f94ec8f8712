package io.commguard.gateway.source.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertState;
import io.commguard.alert.v1.AlertType;
import io.commguard.gateway.ProfileSections;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.source.modbus.ModbusLinkConfig.Transport;
import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.outbox.OutboxRow;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.pipeline.Pipeline;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.ProfileLoader;
import io.commguard.gateway.rule.RuleEngine;
import io.commguard.gateway.rule.spec.GatewayRules;
import io.commguard.gateway.rule.spec.RulesSection;
import io.commguard.gateway.rule.spec.RulesSectionParser;
import io.commguard.gateway.testsupport.PymodbusSimulator;
import io.commguard.gateway.testsupport.PymodbusSimulator.Framing;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One hazard on one Modbus gas detector is one work order: a pymodbus Midas-style detector goes
 * normal → low → high → low → normal, polled by the real source, through the rules engine (with the
 * shipped profile's rules) into the SQLite outbox. The platform must see one alert id: RAISED at
 * level 2, UPDATED to 1, UPDATED back to 2, CLEARED, each with the detector's native bits.
 */
class ModbusGasEpisodeIT {
  private static final String SPEC = """
      {"units": {"1": {"hr": {"0": [1], "2": [0, 0, 0, 0, 2048], "12": [0, 16800, 0, 16928]}}}}""";

  @TempDir Path dir;
  private PymodbusSimulator sim;
  private ModbusSource source;
  private RuleEngine engine;
  private SqliteOutbox outbox;
  private final List<Alert> delivered = new ArrayList<>();

  @AfterEach
  void tearDown() {
    if (source != null) {
      source.close();
    }
    if (outbox != null) {
      outbox.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void lowHighLowNormal_onModbus_isOneAlertId_escalatedAndDeescalated_thenCleared() throws Exception {
    sim = PymodbusSimulator.tcp(dir, SPEC, Framing.TCP);
    GatewayConfig config = new GatewayConfig("gw-modbus-gas", dir.toString(), null,
        List.of(ModbusSourceIT.device("midas-1", "honeywell-midas", "tcp-a", 1)), null, null, null, null)
        .withSection("modbusLinks", List.of(ModbusSourceIT.link("tcp-a", Transport.TCP, sim.port())));
    Map<String, DeviceProfile> profiles = ProfileSections.loader().loadDirectory(TestProfiles.dir());
    Map<String, RulesSection> rules = new HashMap<>();
    profiles.forEach((id, p) -> {
      RulesSection r = p.section(RulesSectionParser.KEY, RulesSection.class);
      if (r != null) {
        rules.put(id, r);
      }
    });
    Counters counters = new Counters();
    outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir, "gw-modbus-gas", counters);
    outbox.start(List.of("uplink"));
    engine = RuleEngine.open(config, config.devices(), GatewayRules.NONE, rules, outbox.ruleState(), Clock.systemUTC(), counters);
    Pipeline pipeline = new Pipeline(engine, outbox, counters);
    source = ModbusSourceKit.fromConfig(config, profiles, pipeline, counters);

    // Low alarm (b6) at 30 %LEL: float32 low word first, 30.0 = 0x41F0 0000.
    sim.setHolding(1, 2, 0, 0x41F0);
    sim.setHolding(1, 0, 0x0041);
    awaitAlert(pipeline, a -> a.getState() == AlertState.RAISED);
    // High alarm: the detector sets b7 beside b6.
    sim.setHolding(1, 2, 0, 0x4250);
    sim.setHolding(1, 0, 0x00C1);
    awaitAlert(pipeline, a -> a.getState() == AlertState.UPDATED && a.getLevel() == 1);
    // Back to low only, then normal.
    sim.setHolding(1, 0, 0x0041);
    awaitAlert(pipeline, a -> a.getState() == AlertState.UPDATED && a.getLevel() == 2);
    sim.setHolding(1, 0, 0x0001);
    awaitAlert(pipeline, a -> a.getState() == AlertState.CLEARED);

    List<Alert> gas = delivered.stream().filter(a -> a.getType() == AlertType.GAS_LEAK).toList();
    assertThat(gas).extracting(a -> a.getState().name() + "@" + a.getLevel() + " " + a.getNativeCode() + " "
            + a.getAttributesOrDefault("nativeConditions", "-") + " " + a.getAttributesOrDefault("previousLevel", "-"))
        .containsExactly(
            "RAISED@2 status.b6 status.b6 -",
            "UPDATED@1 status.b7 status.b7,status.b6 2",
            "UPDATED@2 status.b6 status.b6 1",
            "CLEARED@2 status.b6 - -");
    assertThat(gas).extracting(Alert::getAlertId).containsOnly(gas.get(0).getAlertId());
    assertThat(gas.get(1).getMeasurementsList()).anySatisfy(m -> {
      assertThat(m.getName()).isEqualTo("concentration");
      assertThat(m.getValue()).isEqualTo(52.0);
    });
  }

  /** Ticks the engine (quiet and clear timers) and drains the outbox until an alert matches. */
  private void awaitAlert(Pipeline pipeline, Predicate<Alert> wanted) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
      pipeline.tick(java.time.Instant.now()).toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<OutboxRow> rows = outbox.cursor("uplink").nextBatch(1000).toCompletableFuture().get(10, TimeUnit.SECONDS);
      rows.stream().sorted(Comparator.comparingLong(OutboxRow::sequence)).forEach(r -> {
        try {
          delivered.add(Alert.parseFrom(r.payload()));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          throw new IllegalStateException(e);
        }
      });
      outbox.cursor("uplink").markDelivered(rows.stream().map(OutboxRow::sequence).toList()).toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      return delivered.stream().filter(a -> a.getType() == AlertType.GAS_LEAK).anyMatch(wanted);
    });
  }
}
