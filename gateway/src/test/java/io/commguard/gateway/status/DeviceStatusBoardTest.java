package io.commguard.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceStatusBoardTest {
  private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private final DeviceStatusBoard board = new DeviceStatusBoard(clock);

  private void track(String... ids) {
    List<DeviceStatusBoard.Tracked> t = new ArrayList<>();
    for (String id : ids) {
      t.add(new DeviceStatusBoard.Tracked(id, Duration.ofMinutes(30), id.startsWith("new")));
    }
    board.track(t);
  }

  private static DeviceEvent event(String id, CanonicalType type, Map<String, String> attributes) {
    return new DeviceEvent(new DeviceRef(id, "p", "m", null, ""), EventKind.ALARM, type, 2, Phase.ACTIVE, "c",
        T0, T0, "", List.of(new Measurement("concentration", 27, "%LEL")), List.of(), attributes, "Low gas");
  }

  @Test
  void status_neverHeard_readsNever() {
    track("gas-1");

    DeviceStatus s = board.status("gas-1");

    assertThat(s.connection()).isEqualTo(Connection.NEVER);
    assertThat(s.lastSeen()).isNull();
    assertThat(s.received()).isZero();
  }

  @Test
  void status_heardThenSilentBeyondItsLimit_readsOffline() {
    track("gas-1");
    board.received("gas-1");
    clock.advance(Duration.ofMinutes(30));
    assertThat(board.status("gas-1").connection()).isEqualTo(Connection.ONLINE);

    clock.advance(Duration.ofSeconds(1));

    DeviceStatus s = board.status("gas-1");
    assertThat(s.connection()).isEqualTo(Connection.OFFLINE);
    assertThat(s.lastSeen()).isEqualTo(T0);
    assertThat(s.received()).isEqualTo(1);
  }

  @Test
  void status_openSession_readsOnlineHoweverLongSilent_andOfflineOnceClosed() {
    track("cam-1");
    board.connected("cam-1", "192.168.1.20");
    clock.advance(Duration.ofHours(5));
    assertThat(board.status("cam-1").connection()).isEqualTo(Connection.ONLINE);
    assertThat(board.status("cam-1").peer()).isEqualTo("192.168.1.20");

    board.disconnected("cam-1", true);

    assertThat(board.status("cam-1").connection()).isEqualTo(Connection.OFFLINE);
  }

  @Test
  void status_polledDeviceLost_readsOfflineUntilItAnswersAgain() {
    track("gas-2");
    board.heard("gas-2", "rs485-1 unit 3");
    clock.advance(Duration.ofSeconds(5));
    board.disconnected("gas-2", false);
    assertThat(board.status("gas-2").connection()).isEqualTo(Connection.OFFLINE);

    clock.advance(Duration.ofSeconds(5));
    board.heard("gas-2", "rs485-1 unit 3");

    assertThat(board.status("gas-2").connection()).isEqualTo(Connection.ONLINE);
    assertThat(board.status("gas-2").peer()).isEqualTo("rs485-1 unit 3");
  }

  @Test
  void status_rejection_isRejectingUntilTheNextGoodContact() {
    track("gas-1");
    board.received("gas-1");
    clock.advance(Duration.ofSeconds(1));
    board.rejected("gas-1", "bad_credentials");

    DeviceStatus s = board.status("gas-1");
    assertThat(s.rejecting()).isTrue();
    assertThat(s.lastRejectionReason()).isEqualTo("bad_credentials");
    assertThat(s.lastRejectionTime()).isEqualTo(T0.plusSeconds(1));
    assertThat(s.rejected()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    board.connected("gas-1", "10.0.0.9");
    assertThat(board.status("gas-1").rejecting()).isFalse();
    assertThat(board.status("gas-1").lastRejectionReason()).isEqualTo("bad_credentials");
  }

  @Test
  void event_setsLastEventAndFirmware_andReachesMatchingSubscribersOnly() throws Exception {
    track("gas-1", "new-1");
    List<LiveEvent> all = new ArrayList<>();
    List<LiveEvent> mine = new ArrayList<>();
    List<LiveEvent> other = new ArrayList<>();
    board.subscribe(null, all::add);
    board.subscribe("new-1", mine::add);
    AutoCloseable closed = board.subscribe("gas-1", other::add);
    closed.close();

    board.event(event("new-1", CanonicalType.GAS_LEAK, Map.of("firmware", "V2.1")), Outcome.FORWARDED);

    assertThat(board.status("new-1").lastEventType()).isEqualTo("GAS_LEAK");
    assertThat(board.status("new-1").lastEventTime()).isEqualTo(T0);
    assertThat(board.status("new-1").firmware()).isEqualTo("V2.1");
    assertThat(all).hasSize(1);
    assertThat(mine).singleElement().satisfies(e -> {
      assertThat(e.outcome()).isEqualTo(Outcome.FORWARDED);
      assertThat(e.test()).isTrue();
      assertThat(e.fields()).containsEntry("concentration", "27.0 %LEL").containsEntry("firmware", "V2.1");
    });
    assertThat(other).isEmpty();
  }

  @Test
  void reports_aboutUnknownIds_createNoEntry() {
    track("gas-1");

    board.received("intruder");
    board.rejected("intruder", "bad_credentials");
    board.connected("intruder", "10.0.0.66");
    board.event(event("intruder", CanonicalType.GAS_LEAK, Map.of()), Outcome.FILTERED);

    assertThat(board.status("intruder")).isNull();
  }

  @Test
  void track_keepsStatusOfKeptIds_andForgetsRemovedOnes() {
    track("gas-1", "gas-2");
    board.received("gas-1");
    board.received("gas-2");

    track("gas-1", "gas-3");

    assertThat(board.status("gas-1").received()).isEqualTo(1);
    assertThat(board.status("gas-2")).isNull();
    assertThat(board.status("gas-3").connection()).isEqualTo(Connection.NEVER);
  }

  @Test
  void subscribe_beyondTheLimit_isRefused() {
    for (int i = 0; i < DeviceStatusBoard.MAX_SUBSCRIBERS; i++) {
      board.subscribe(null, e -> {});
    }

    assertThatThrownBy(() -> board.subscribe(null, e -> {})).isInstanceOf(IllegalStateException.class);
  }
}
