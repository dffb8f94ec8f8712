package io.commguard.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.gateway.Gateway;
import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.PymodbusSimulator;
import io.commguard.gateway.testsupport.PymodbusSimulator.Framing;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modbus units joining and leaving a running link through the device registry, against a real
 * pymodbus slave with three units: a new unit is polled within one poll interval, a removed one is
 * no longer polled, and the unit that stays keeps its cadence throughout.
 */
class ModbusLiveIT {
  /** The shipped simple sensor: reading at register 0, decimals at 0x1E, polled every 2 s. */
  private static final String PROFILE = "generic-reading-decimals-sensor";
  private static final long INTERVAL_MS = 2000;
  private static final String UNITS = """
      {"units": {
        "1": {"hr": {"0": [101, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 1]}},
        "2": {"hr": {"0": [202, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 1]}},
        "3": {"hr": {"0": [303, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 1]}}
      }}""";

  @TempDir Path dir;
  private MosquittoBroker city;
  private PymodbusSimulator slave;
  private Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    city = MosquittoBroker.start(dir);
    slave = PymodbusSimulator.tcp(dir, UNITS, Framing.TCP);
    String yaml = """
        gatewayId: gw-modbus-live
        dataDir: '%s'
        modbusLinks:
          - {id: plant, transport: TCP, host: 127.0.0.1, port: %d, timeoutMs: 1000}
        devices:
          - {id: sensor-1, profile: %s, modbus: {link: plant, unitId: 1}}
          - {id: sensor-2, profile: %s, modbus: {link: plant, unitId: 2}}
        uplink: {brokerUrl: %s, ackMode: broker}
        """.formatted(dir.resolve("data"), slave.port(), PROFILE, PROFILE, city.url());
    var config = ConfigLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "modbus-live.yaml");
    gateway = Gateway.start(GatewayPlan.of(config, "modbus-live.yaml"), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (slave != null) {
      slave.close();
    }
    city.stop();
  }

  private long polls(String device) {
    return gateway.counters().get("modbus_polls", device, "ok");
  }

  @Test
  void unitAddedToARunningLink_isPolledWithinOneInterval_neighboursKeepTheirCadence() throws Exception {
    Counters counters = gateway.counters();
    await().atMost(Duration.ofSeconds(10)).until(() -> polls("sensor-1") >= 2 && polls("sensor-2") >= 2);
    long neighbourBefore = polls("sensor-1");

    DeviceConfig third = new DeviceConfig("sensor-3", PROFILE, null, Site.UNKNOWN, "Pump room")
        .withBinding("modbus", Map.of("link", "plant", "unitId", 3));
    gateway.registry().put(third).toCompletableFuture().get(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofMillis(INTERVAL_MS)).until(() -> polls("sensor-3") >= 1);
    assertThat(counters.get("received", "sensor-3", null)).isPositive();

    // Both poll every interval: while the new unit makes three polls, the neighbour makes three too
    // (one more or less at the edges) — none lost to the join, none doubled.
    await().atMost(Duration.ofSeconds(10)).until(() -> polls("sensor-3") >= 3);
    assertThat(polls("sensor-1") - neighbourBefore).isBetween(2L, 4L);
    assertThat(counters.get("modbus_poll_overruns", "sensor-1", "previous_poll_running")).isZero();
  }

  @Test
  void unitRemovedFromARunningLink_isNoLongerPolled_neighbourGoesOn() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> polls("sensor-1") >= 2 && polls("sensor-2") >= 2);

    // sensor-2 is a config device: the file is where it is removed; a reload imports the new list.
    gateway.registry().importConfig(java.util.List.of(
        new DeviceConfig("sensor-1", PROFILE, null, Site.UNKNOWN, "").withBinding("modbus", Map.of("link", "plant", "unitId", 1))))
        .toCompletableFuture().get(5, TimeUnit.SECONDS);
    long removedAt = polls("sensor-2");
    long neighbourAt = polls("sensor-1");

    await().atMost(Duration.ofSeconds(10)).until(() -> polls("sensor-1") >= neighbourAt + 2);
    assertThat(polls("sensor-2")).as("at most one poll that was already on the wire").isLessThanOrEqualTo(removedAt + 1);
  }
}
