package io.commguard.gateway.source.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.source.modbus.map.ReadRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceSessionTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private static DeviceSession session() {
    return new DeviceSession(new ModbusDevice(new DeviceRef("d", "p", "", null, ""), "l", 1,
        TestProfiles.shipped("generic/rs485-gas-0x6000")));
  }

  private static void poll(DeviceSession s, int status) {
    List<ReadRequest> plan = s.plan(0);
    byte[] data = new byte[plan.get(0).quantity() * 2];
    data[0] = (byte) (status >> 8);
    data[1] = (byte) status;
    data[3] = 100;
    data[13] = 1;
    s.store(0, plan, new byte[][] {data});
  }

  @Test
  void backoff_doublesFromThePollIntervalUpToTheCap_andOfflineAfterN() {
    DeviceSession s = session();
    long cap = 60 * SECOND;
    long[] expected = {1, 2, 4, 8, 16, 32, 60, 60, 60};
    for (int i = 0; i < expected.length; i++) {
      boolean offline = s.recordFailure("timeout", 0, 3, cap);
      assertThat(s.backoffUntilNanos).as("failure %d", i + 1).isEqualTo(expected[i] * SECOND);
      assertThat(offline).isEqualTo(i == 2);
    }
    assertThat(s.recordSuccess()).isTrue();
    assertThat(s.backoffUntilNanos).isZero();
    assertThat(s.recordFailure("timeout", 0, 3, cap)).isFalse();
  }

  @Test
  void readPlan_ofTheModule_isOneRequest() {
    assertThat(session().plan(0)).singleElement().satisfies(r -> {
      assertThat(r.address()).isEqualTo(0x6000);
      assertThat(r.quantity()).isEqualTo(7);
    });
  }

  @Test
  void conditionChanges_becomeActiveThenInactive_steadyStateEmitsNothing() {
    DeviceSession s = session();
    poll(s, 0x8000);
    assertThat(s.events(Instant.EPOCH, 0)).extracting(e -> e.event().episodeKey()).containsExactly("telemetry");
    poll(s, 0x8000);
    assertThat(s.events(Instant.EPOCH, SECOND)).isEmpty();
    poll(s, 0x8001);
    assertThat(s.events(Instant.EPOCH, 2 * SECOND)).extracting(e -> e.event().episodeKey() + ":" + e.event().phase())
        .containsExactly("gas:ACTIVE");
    poll(s, 0x8001);
    assertThat(s.events(Instant.EPOCH, 3 * SECOND)).isEmpty();
    poll(s, 0x8000);
    List<DeviceSession.Emission> cleared = s.events(Instant.EPOCH, 4 * SECOND);
    assertThat(cleared).extracting(e -> e.event().episodeKey() + ":" + e.event().phase()).containsExactly("gas:INACTIVE");
    assertThat(cleared.get(0).event().nativeCode()).isEqualTo("status.b15=1&status.b0");
  }

  @Test
  void lowHighLowNormal_isOneEpisode_atTheMostSevereActiveLevel_withTheNativeBits() {
    DeviceSession s = session();
    poll(s, 0x8000);
    s.events(Instant.EPOCH, 0);
    StringBuilder story = new StringBuilder();
    int[] statuses = {0x8001, 0x8003, 0x8003, 0x8002, 0x8001, 0x8000};
    for (int i = 0; i < statuses.length; i++) {
      poll(s, statuses[i]);
      for (DeviceSession.Emission e : s.events(Instant.EPOCH, (i + 1) * SECOND)) {
        story.append(e.event().episodeKey()).append(':').append(e.event().phase()).append('@').append(e.event().level())
            .append(' ').append(e.event().nativeCode()).append(' ')
            .append(e.event().attributes().getOrDefault(DeviceSession.NATIVE_CONDITIONS, "-")).append('\n');
      }
    }
    // Status 0x8002 (high bit alone, as some firmwares do) stays the same level-1 condition.
    assertThat(story.toString().lines()).containsExactly(
        "gas:ACTIVE@2 status.b15=1&status.b0 status.b15=1&status.b0",
        "gas:ACTIVE@1 status.b15=1&status.b1 status.b15=1&status.b1,status.b15=1&status.b0",
        "gas:ACTIVE@2 status.b15=1&status.b0 status.b15=1&status.b0",
        "gas:INACTIVE@2 status.b15=1&status.b0 -");
  }

  @Test
  void refusedEmission_isUndone_soTheNextPollSendsItAgain() {
    DeviceSession s = session();
    poll(s, 0x8000);
    s.events(Instant.EPOCH, 0);
    poll(s, 0x8003);
    List<DeviceSession.Emission> first = s.events(Instant.EPOCH, SECOND);
    assertThat(first).extracting(e -> e.event().episodeKey()).containsExactly("gas");
    s.undo(first.get(0));
    poll(s, 0x8003);
    assertThat(s.events(Instant.EPOCH, 2 * SECOND)).extracting(e -> e.event().episodeKey() + ":" + e.event().phase())
        .containsExactly("gas:ACTIVE");
    poll(s, 0x8000);
    List<DeviceSession.Emission> clear = s.events(Instant.EPOCH, 3 * SECOND);
    clear.forEach(s::undo);
    poll(s, 0x8000);
    assertThat(s.events(Instant.EPOCH, 4 * SECOND)).extracting(e -> e.event().episodeKey() + ":" + e.event().phase())
        .containsExactly("gas:INACTIVE");
  }

  @Test
  void offlineEvent_carriesTheLastReason() {
    DeviceSession s = session();
    for (int i = 0; i < 3; i++) {
      s.recordFailure("connect_failed", 0, 3, 60 * SECOND);
    }
    var e = s.offlineEvent(Phase.ACTIVE, Instant.EPOCH);
    assertThat(e.nativeCode()).isEqualTo("connect_failed");
    assertThat(e.attributes()).containsEntry("deviceState", "OFFLINE");
  }
}
