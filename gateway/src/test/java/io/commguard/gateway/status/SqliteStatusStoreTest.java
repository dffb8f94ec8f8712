package io.commguard.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.testsupport.MutableClock;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saved device status on a real {@code status.db}: written in batches, restored after a restart, rows of removed devices gone. */
class SqliteStatusStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
  /** Longer than any test: only {@code writeNow} and {@code close} write. */
  private static final Duration NEVER_BY_TIMER = Duration.ofHours(1);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private final Counters counters = new Counters();
  private final List<SqliteStatusStore> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (SqliteStatusStore s : open) {
      s.close();
    }
  }

  private DeviceStatusBoard board(String... ids) {
    DeviceStatusBoard board = new DeviceStatusBoard(clock);
    track(board, ids);
    return board;
  }

  private static void track(DeviceStatusBoard board, String... ids) {
    List<DeviceStatusBoard.Tracked> t = new ArrayList<>();
    for (String id : ids) {
      t.add(new DeviceStatusBoard.Tracked(id, Duration.ofMinutes(30), false));
    }
    board.track(t);
  }

  private SqliteStatusStore store(DeviceStatusBoard board) {
    SqliteStatusStore s = SqliteStatusStore.open(dir, board, counters, NEVER_BY_TIMER);
    open.add(s);
    return s;
  }

  private void restart(SqliteStatusStore s) throws Exception {
    s.close();
    open.remove(s);
  }

  private static DeviceEvent alarm(String id, Instant at) {
    return new DeviceEvent(new DeviceRef(id, "p", "m", null, ""), EventKind.ALARM, CanonicalType.GAS_LEAK, 2,
        Phase.ACTIVE, "low", at, at, "", List.of(), List.of(), Map.of("firmware", "V2.3"), "Low gas");
  }

  private long rows() throws Exception {
    try (java.sql.Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStatusStore.FILE_NAME));
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM device_status")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  private Instant savedLastSeen(String id) throws Exception {
    try (java.sql.Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStatusStore.FILE_NAME));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT last_seen FROM device_status WHERE id = '" + id + "'")) {
      return rs.next() ? Instant.ofEpochMilli(rs.getLong(1)) : null;
    }
  }

  @Test
  void afterARestart_aDeviceHeardBefore_readsOfflineWithItsLastContact_andOneNeverHeard_readsNever() throws Exception {
    DeviceStatusBoard before = board("gas-1", "gas-2", "gas-3");
    SqliteStatusStore store = store(before);
    before.connected("gas-1", "192.168.10.21");
    before.event(alarm("gas-1", T0), Outcome.FORWARDED);
    clock.advance(Duration.ofSeconds(5));
    before.rejected("gas-2", "bad_credentials");
    Instant rejectedAt = clock.instant();
    restart(store);

    clock.advance(Duration.ofMinutes(10));
    DeviceStatusBoard after = board("gas-1", "gas-2", "gas-3");
    store(after);

    DeviceStatus heard = after.status("gas-1");
    assertThat(heard.connection()).isEqualTo(Connection.OFFLINE);
    assertThat(heard.lastSeen()).isEqualTo(T0);
    assertThat(heard.lastEventType()).isEqualTo("GAS_LEAK");
    assertThat(heard.lastEventTime()).isEqualTo(T0);
    assertThat(heard.peer()).isEqualTo("192.168.10.21");
    assertThat(heard.firmware()).isEqualTo("V2.3");
    assertThat(heard.received()).as("counters count since the start").isZero();
    DeviceStatus refused = after.status("gas-2");
    assertThat(refused.connection()).isEqualTo(Connection.NEVER);
    assertThat(refused.lastRejectionReason()).isEqualTo("bad_credentials");
    assertThat(refused.lastRejectionTime()).isEqualTo(rejectedAt);
    assertThat(refused.rejecting()).isTrue();
    assertThat(after.status("gas-3").connection()).isEqualTo(Connection.NEVER);
    assertThat(after.status("gas-3").lastSeen()).isNull();

    after.connected("gas-1", "192.168.10.22");
    assertThat(after.status("gas-1").connection()).isEqualTo(Connection.ONLINE);
  }

  @Test
  void reports_areWrittenInBatches_notOnePerMessage() throws Exception {
    DeviceStatusBoard board = board("gas-1");
    SqliteStatusStore store = store(board);
    board.received("gas-1");
    store.writeNow();
    assertThat(savedLastSeen("gas-1")).isEqualTo(T0);

    for (int i = 0; i < 1000; i++) {
      clock.advance(Duration.ofMillis(10));
      board.received("gas-1");
    }
    assertThat(savedLastSeen("gas-1")).as("nothing written between batches").isEqualTo(T0);
    store.writeNow();
    assertThat(savedLastSeen("gas-1")).isEqualTo(T0.plusSeconds(10));
    assertThat(rows()).isEqualTo(1);
  }

  @Test
  void removedDevices_loseTheirRow_alsoWhenRemovedWhileTheGatewayWasDown() throws Exception {
    DeviceStatusBoard board = board("gas-1", "gas-2", "gas-3");
    SqliteStatusStore store = store(board);
    board.received("gas-1");
    board.received("gas-2");
    board.received("gas-3");
    store.writeNow();
    assertThat(rows()).isEqualTo(3);

    track(board, "gas-1", "gas-3");
    store.writeNow();
    assertThat(rows()).isEqualTo(2);
    track(board, "gas-1", "gas-2", "gas-3");
    store.writeNow();
    assertThat(board.status("gas-2").connection()).as("added again: a new device").isEqualTo(Connection.NEVER);
    restart(store);

    DeviceStatusBoard after = board("gas-1");
    SqliteStatusStore reopened = store(after);
    assertThat(after.status("gas-1").connection()).isEqualTo(Connection.OFFLINE);
    reopened.writeNow();
    assertThat(rows()).as("gas-3 was removed while the gateway was down").isEqualTo(1);
    assertThat(counters.total("status_store_failed")).isZero();
  }
}
