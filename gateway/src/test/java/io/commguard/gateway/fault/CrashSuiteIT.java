package io.commguard.gateway.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.AlertState;
import io.commguard.gateway.testsupport.FaultFigures;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway SIGKILLed at random points while gas detectors with in-flight windows of 1 and of 10
 * QoS 1 reports alternate high / normal, and restarted on the same data directory; the devices
 * reconnect and retransmit (same packet id, DUP set) what was not acknowledged; the reference
 * receiver acknowledges in platform mode and decodes the uplink. After every kill point it asserts
 * what the city must see: every acknowledged report's alert, RAISED before CLEARED for every alert
 * id, every RAISED cleared once its device is back to normal, and it measures the time from each
 * restart until every device is acknowledged again.
 *
 * <p>{@code -Dcrash.kills=200} runs 200 kill points (default 8), {@code -Dcrash.seed=N} repeats a run.
 */
class CrashSuiteIT {
  private static final int DEVICES = 6;

  @TempDir
  Path dir;

  @Test
  void randomKills_neverLoseAnAcknowledgedReport_norLeaveAnAlarmOpen_norClearAnUnknownOne() throws Exception {
    int kills = Integer.getInteger("crash.kills", 8);
    long seed = Long.getLong("crash.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.println("CrashSuiteIT seed=" + seed + " kills=" + kills);
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    List<WindowedDevice> devices = new ArrayList<>();
    List<Long> recoveryMs = new ArrayList<>();
    try (FaultRig rig = new FaultRig(dir, "crash-suite", DEVICES)) {
      Path config = rig.writeConfig(rig.cityBroker.url(), null);
      rig.startReceiver();
      rig.startGateway(config);
      for (int i = 0; i < DEVICES; i++) {
        int window = i % 2 == 0 ? 1 : 10;
        devices.add(new WindowedDevice(rig.deviceIds.get(i), FaultRig.DEVICE_PASSWORD, rig.endpointPort, window,
            window == 1 ? 100 : 400, loops));
      }
      devices.forEach(WindowedDevice::start);

      for (int k = 0; k < kills; k++) {
        // A random kill point: load shape, not synchronisation.
        TimeUnit.MILLISECONDS.sleep(300 + random.nextInt(1200));
        rig.gateway.kill();
        TimeUnit.MILLISECONDS.sleep(100 + random.nextInt(400));
        long restart = System.nanoTime();
        rig.gateway.start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
          assertThat(rig.gateway.alive()).as("gateway running; log:\n%s", rig.gateway.logText()).isTrue();
          return devices.stream().allMatch(d -> d.lastAckNanos() > restart);
        });
        // From the process start (JVM start included) until the last device had a PUBACK, within the 20 ms poll.
        recoveryMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restart));
      }

      devices.forEach(WindowedDevice::finish);
      await().atMost(Duration.ofSeconds(60)).until(() -> devices.stream().allMatch(WindowedDevice::settled));
      Set<String> acked = new HashSet<>();
      devices.forEach(d -> acked.addAll(d.ackedTokens()));
      await().atMost(Duration.ofSeconds(60)).until(() -> tokensAtCity(rig).containsAll(acked) && openAtCity(rig).isEmpty());

      Map<String, List<AlertState>> lives = lives(rig);
      assertThat(lives).as("alerts at the city").isNotEmpty();
      assertThat(lives).allSatisfy((id, states) -> {
        assertThat(states.get(0)).as("first state of %s: %s", id, states).isEqualTo(AlertState.RAISED);
        assertThat(states).as("life of %s", id).containsOnlyOnce(AlertState.RAISED).containsOnlyOnce(AlertState.CLEARED)
            .endsWith(AlertState.CLEARED);
      });
      assertThat(tokensAtCity(rig)).containsAll(acked);

      List<Long> sorted = recoveryMs.stream().sorted().toList();
      FaultFigures.record("crash-suite", "kills=" + kills + " seed=" + seed + " devices=" + DEVICES
          + " reportsAcknowledged=" + acked.size() + " alertsAtCity=" + rig.cityAlerts.size()
          + " alertIds=" + lives.size() + " restartToAllAckedMs median=" + sorted.get(sorted.size() / 2)
          + " p95=" + sorted.get(Math.min(sorted.size() - 1, sorted.size() * 95 / 100)) + " max=" + sorted.get(sorted.size() - 1));
    } finally {
      devices.forEach(WindowedDevice::stop);
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  /** Each gas alert id's states in arrival order. */
  private static Map<String, List<AlertState>> lives(FaultRig rig) {
    Map<String, List<AlertState>> lives = new LinkedHashMap<>();
    for (Alert a : rig.cityAlerts) {
      if (!a.getDevice().getDeviceId().equals(FaultRig.GATEWAY_ID)) {
        lives.computeIfAbsent(a.getAlertId(), id -> new ArrayList<>()).add(a.getState());
      }
    }
    return lives;
  }

  private static Set<String> openAtCity(FaultRig rig) {
    Set<String> open = new HashSet<>();
    lives(rig).forEach((id, states) -> {
      if (!states.contains(AlertState.CLEARED)) {
        open.add(id);
      }
    });
    return open;
  }

  private static Set<String> tokensAtCity(FaultRig rig) {
    Set<String> tokens = new HashSet<>();
    for (Alert a : rig.cityAlerts) {
      String token = a.getAttributesMap().get("firmware");
      if (token != null) {
        tokens.add(token);
      }
    }
    return tokens;
  }
}
