package io.commguard.gateway.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.commguard.alert.v1.AlertState;
import io.commguard.gateway.receiver.CityReceiver;
import io.commguard.gateway.testsupport.BlackholeProxy;
import io.commguard.gateway.testsupport.FaultFigures;
import io.commguard.gateway.testsupport.SmallTmpfs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite of issue 5: the packaged gateway as a child process, simulated gas detectors on
 * its embedded endpoint, a real city Mosquitto and the reference receiver. Each scenario asserts,
 * by the token each device message carries into its alert, that every alarm the gateway
 * acknowledged to a device was received at least once, and that the receiver's output holds no
 * duplicates. Outages are shortened to keep the suite to a few minutes (stated per scenario).
 */
class FaultSuiteIT {
  private static final Duration DRAIN = Duration.ofSeconds(90);
  private static final int DEVICES = 10;
  private static final int RATE = 4;

  @TempDir Path dir;

  @Test
  void scenario1_gatewayKilledMidStream_withUnsentAlerts_restarted() throws Exception {
    try (FaultRig rig = new FaultRig(dir, "1-sigkill", DEVICES)) {
      rig.startReceiver();
      rig.startGateway(rig.writeConfig(rig.cityBroker.url(), null));
      rig.startFleet(RATE, 0);
      awaitSomeDelivered(rig);

      rig.cityBroker.stop(); // alerts pile up unsent in the outbox
      keepLoadRunningFor(Duration.ofSeconds(2));
      int unsentAtKill = rig.fleet.ackedAlarms().size() - rig.receivedTokens.size();
      rig.gateway.kill();
      keepLoadRunningFor(Duration.ofSeconds(1));
      rig.gateway.start();
      rig.awaitEndpoint();
      rig.cityBroker.start();
      keepLoadRunningFor(Duration.ofSeconds(2));

      finish(rig, "1-sigkill unsentAtKill~" + unsentAtKill, -1);
    }
  }

  @Test
  void scenario2_cityBrokerDown_thenReceiverDown() throws Exception {
    try (FaultRig rig = new FaultRig(dir, "2-broker-down", DEVICES)) {
      rig.startReceiver();
      rig.startGateway(rig.writeConfig(rig.cityBroker.url(), null));
      rig.startFleet(RATE, 0);
      awaitSomeDelivered(rig);

      rig.cityBroker.stop(); // outage shortened from 60 s to 6 s
      keepLoadRunningFor(Duration.ofSeconds(6));
      rig.fleet.close();
      Set<String> produced = rig.fleet.ackedAlarms();
      int before = rig.receivedTokens.size();
      long backlog = produced.size() - intersection(produced, rig.receivedTokens);
      long t0 = System.nanoTime();
      rig.cityBroker.start();
      await().atMost(DRAIN).until(() -> rig.receivedTokens.size() > before);
      long t1 = System.nanoTime();
      await().atMost(DRAIN).until(() -> rig.receivedTokens.containsAll(produced));
      double drainRate = backlog / ((System.nanoTime() - t1) / 1e9);
      String firstAfterRestart = String.format("firstDeliveryAfterBrokerRestart=%.1fs backlog=%d", (t1 - t0) / 1e9, backlog);

      rig.stopReceiver(); // receiver down for 3 s while the broker is up
      rig.startFleet(RATE, 0);
      keepLoadRunningFor(Duration.ofSeconds(3));
      rig.startReceiver();
      keepLoadRunningFor(Duration.ofSeconds(2));

      finish(rig, "2-broker-down-6s+receiver-down-3s " + firstAfterRestart, drainRate, produced);
    }
  }

  @Test
  void scenario3_halfDeadLink() throws Exception {
    try (FaultRig rig = new FaultRig(dir, "3-half-dead", DEVICES); BlackholeProxy proxy = new BlackholeProxy(rig.cityBroker.port())) {
      rig.startReceiver();
      rig.startGateway(rig.writeConfig(proxy.url(), null));
      rig.startFleet(RATE, 0);
      awaitSomeDelivered(rig);

      proxy.blackhole(true); // connections stay up, nothing passes, for 10 s
      keepLoadRunningFor(Duration.ofSeconds(10));
      proxy.blackhole(false);
      keepLoadRunningFor(Duration.ofSeconds(2));

      finish(rig, "3-half-dead-link-10s", -1);
    }
  }

  @Test
  void scenario4_outboxLimitDuringOutage_evictsTelemetryOnly() throws Exception {
    try (FaultRig rig = new FaultRig(dir, "4-outbox-limit", DEVICES)) {
      rig.startReceiver();
      rig.startGateway(rig.writeConfig(rig.cityBroker.url(),
          "  maxBytes: 60000\n  summaryIntervalMs: 1000\n"));
      rig.cityBroker.stop(); // outage with half telemetry, half level-1 alarms
      rig.startFleet(RATE, 2);
      // Device logins can take seconds on a loaded box: count the outage from the point where the
      // fleet is publishing, so that it fills the 60 kB bound whatever the start-up took.
      await().atMost(Duration.ofSeconds(60)).until(() -> rig.fleet.ackedAlarms().size() >= 60);
      keepLoadRunningFor(Duration.ofSeconds(12));
      rig.fleet.close();
      Set<String> produced = rig.fleet.ackedAlarms();
      long t0 = System.nanoTime();
      rig.cityBroker.start();
      await().atMost(DRAIN).until(() -> rig.receivedTokens.containsAll(produced));
      double drainRate = produced.size() / ((System.nanoTime() - t0) / 1e9);

      await().atMost(DRAIN).until(() -> rig.gatewayAlert("outbox_eviction_summary", AlertState.RAISED));
      assertThat(rig.lastGatewayAlertAttributes("outbox_eviction_summary")).containsKey("evicted.bytes");
      finish(rig, "4-outbox-limit-60kB-outage-12s readingsAcked=" + rig.fleet.ackedReadings() + " evictionSummary="
          + rig.lastGatewayAlertAttributes("outbox_eviction_summary"), drainRate, produced);
    }
  }

  @Test
  void scenario5_diskFull_thenSpaceFreed() throws Exception {
    SmallTmpfs tmpfs = SmallTmpfs.mount(dir.resolve("data"), "16m");
    assumeTrue(tmpfs != null, SmallTmpfs.lastSkipReason());
    try (tmpfs; FaultRig rig = new FaultRig(dir, "5-disk-full", DEVICES)) {
      rig.startReceiver();
      rig.startGateway(rig.writeConfig(rig.cityBroker.url(), null));
      rig.startFleet(RATE, 0);
      awaitSomeDelivered(rig);

      rig.cityBroker.stop();
      Path filler = rig.dataDir.resolve("filler");
      fill(filler);
      keepLoadRunningFor(Duration.ofSeconds(4));
      long retransmissionsWhileFull = rig.fleet.retransmissions();
      Files.delete(filler);
      rig.cityBroker.start();
      keepLoadRunningFor(Duration.ofSeconds(3));

      await().atMost(DRAIN).until(() -> rig.gatewayAlert("outbox_storage_full", AlertState.RAISED)
          && rig.gatewayAlert("outbox_storage_full", AlertState.CLEARED));
      finish(rig, "5-disk-full-4s retransmissionsWhileFull=" + retransmissionsWhileFull, -1);
    }
  }

  @Test
  void scenario6_corruptDatabaseAtStartup() throws Exception {
    try (FaultRig rig = new FaultRig(dir, "6-corrupt-db", DEVICES)) {
      Files.createDirectories(rig.dataDir);
      Files.writeString(rig.dataDir.resolve("outbox.db"), "not a database ".repeat(1000));
      rig.startReceiver();
      rig.startGateway(rig.writeConfig(rig.cityBroker.url(), null));
      rig.startFleet(RATE, 0);
      keepLoadRunningFor(Duration.ofSeconds(2));

      await().atMost(DRAIN).until(() -> rig.gatewayAlert("outbox_db_moved_aside", AlertState.RAISED));
      try (Stream<Path> files = Files.list(rig.dataDir)) {
        assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("outbox.db.corrupt-"));
      }
      finish(rig, "6-corrupt-db", -1);
    }
  }

  // ------------------------------------------------------------------------------------------

  private static void awaitSomeDelivered(FaultRig rig) {
    await().atMost(Duration.ofSeconds(60)).until(() -> rig.receivedTokens.size() >= 20);
  }

  /** Lets the simulated devices keep publishing while a fault lasts: scenario timing, not synchronisation. */
  private static void keepLoadRunningFor(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }

  private void finish(FaultRig rig, String scenario, double drainRate) throws Exception {
    finish(rig, scenario, drainRate, null);
  }

  private void finish(FaultRig rig, String scenario, double drainRate, Set<String> earlier) throws Exception {
    rig.fleet.close();
    Set<String> produced = new HashSet<>(rig.fleet.ackedAlarms());
    if (earlier != null) {
      produced.addAll(earlier);
    }
    try {
      await().atMost(DRAIN).until(() -> rig.receivedTokens.containsAll(produced));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      Set<String> missing = new HashSet<>(produced);
      missing.removeAll(rig.receivedTokens);
      System.out.println("FAULT-MISSING " + scenario + " count=" + missing.size() + " sample="
          + missing.stream().sorted().limit(20).toList());
    }
    CityReceiver.Stats stats = rig.receiver.stats();
    long received = intersection(produced, rig.receivedTokens);
    long duplicateRows;
    long repeatedTokens;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("received.db"));
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery(
          "SELECT count(*) - count(DISTINCT alert_id || '/' || state) FROM alerts WHERE state = 'RAISED'")) {
        rs.next();
        duplicateRows = rs.getLong(1);
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM alerts")) {
        rs.next();
        repeatedTokens = rs.getLong(1);
      }
    }
    FaultFigures.record(scenario, String.format(
        "produced=%d received=%d lost=%d duplicatesBeforeDedup=%d receiverRows=%d retransmissions=%d drainRate=%s",
        produced.size(), received, produced.size() - received, stats.duplicates(), repeatedTokens,
        rig.fleet.retransmissions(), drainRate < 0 ? "n/a" : String.format("%.0f/s", drainRate)));
    assertThat(produced.size() - received).as("alarms lost").isZero();
    assertThat(duplicateRows).as("duplicate RAISED rows in the receiver output").isZero();
  }

  private static long intersection(Set<String> a, Set<String> b) {
    return a.stream().filter(b::contains).count();
  }

  private static void fill(Path filler) {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException expectedWhenFull) {
      // The file system is full now.
    }
  }
}
