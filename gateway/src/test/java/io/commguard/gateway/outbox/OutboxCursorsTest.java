package io.commguard.gateway.outbox;

import static io.commguard.gateway.outbox.Drafts.alarm;
import static io.commguard.gateway.outbox.Drafts.telemetry;
import static io.commguard.gateway.outbox.OutboxFixture.decode;
import static io.commguard.gateway.outbox.OutboxFixture.join;
import static io.commguard.gateway.outbox.OutboxFixture.sequences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.wire.AlertEncoder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One cursor per northbound: each delivers on its own; a row leaves when all have it delivered. */
class OutboxCursorsTest {
  @TempDir Path dir;
  @RegisterExtension final OutboxFixture outboxes = new OutboxFixture();
  private final Counters counters = outboxes.counters;

  private SqliteOutbox open(String... northbounds) {
    return outboxes.open(dir, OutboxConfig.DEFAULTS, northbounds);
  }

  private SqliteOutbox open(OutboxConfig config, String... northbounds) {
    return outboxes.open(dir, config, northbounds);
  }

  @Test
  void twoNorthbounds_eachDeliversOnItsOwn_aRowLeavesOnlyWhenBothHaveIt() {
    SqliteOutbox outbox = open("city", "backup");
    join(outbox.append(List.of(telemetry("a"), telemetry("a"), telemetry("a"))));
    OutboxCursor city = outbox.cursor("city");
    OutboxCursor backup = outbox.cursor("backup");

    assertThat(sequences(join(city.nextBatch(10)))).containsExactly(1L, 2L, 3L);
    assertThat(sequences(join(backup.nextBatch(2)))).as("city's in-flight rows are not backup's")
        .containsExactly(1L, 2L);
    join(city.markDelivered(List.of(1L, 2L, 3L)));

    assertThat(join(city.nextBatch(10))).isEmpty();
    assertThat(join(outbox.stats()).pendingRows()).as("backup still owes them").isEqualTo(3);
    assertThat(join(outbox.stats()).historyRows()).isZero();
    assertThat(sequences(join(backup.nextBatch(10)))).containsExactly(3L);
    backup.releaseAll();
    assertThat(sequences(join(backup.nextBatch(10)))).containsExactly(1L, 2L, 3L);

    join(backup.markDelivered(List.of(1L, 3L)));
    assertThat(join(outbox.stats()).pendingRows()).isEqualTo(1);
    assertThat(join(outbox.stats()).historyRows()).isEqualTo(2);
    join(backup.markDelivered(List.of(2L)));
    assertThat(join(outbox.stats()).pendingRows()).isZero();
    assertThat(counters.get("outbox_delivered")).isEqualTo(3);
  }

  @Test
  void priorityOrder_andPromotion_holdInEveryNorthboundsQueue() {
    SqliteOutbox outbox = open("city", "backup");
    join(outbox.append(List.of(telemetry("cam-a"))));                                  // 1
    join(outbox.append(List.of(alarm("cam-b", CanonicalType.LOITERING, 4))));          // 2
    join(outbox.append(List.of(alarm("cam-c", CanonicalType.FIRE_SMOKE, 1))));         // 3
    join(outbox.append(List.of(alarm("cam-b", CanonicalType.PERIMETER_INTRUSION, 2)))); // 4 promotes 2

    for (String northbound : List.of("city", "backup")) {
      List<OutboxRow> rows = join(outbox.cursor(northbound).nextBatch(10));
      assertThat(sequences(rows)).as(northbound).containsExactly(3L, 2L, 4L, 1L);
      assertThat(rows.get(1).priority()).as(northbound).isEqualTo(2);
    }
  }

  @Test
  void evictedRows_leaveEveryNorthboundsQueue() {
    SqliteOutbox outbox = open(new OutboxConfig(null, null, null, 1000L, null, null, null, null), "city", "backup");
    List<AlertDraft> readings = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      readings.add(telemetry("t-" + i));
    }
    AlertDraft fire = alarm("smoke-1", CanonicalType.FIRE_SMOKE, 1);
    join(outbox.append(readings));
    join(outbox.append(List.of(fire)));

    for (String northbound : List.of("city", "backup")) {
      List<OutboxRow> rows = join(outbox.cursor(northbound).nextBatch(100));
      assertThat(rows).as(northbound).extracting(OutboxRow::alertId).contains(fire.alertId());
      assertThat(rows.size()).as(northbound).isLessThan(21);
    }
    assertThat(counters.total("outbox_evicted")).isPositive();
  }

  @Test
  void cursorOfANorthboundTheOutboxWasNotStartedFor_isRefused() {
    SqliteOutbox outbox = open("city");
    assertThatThrownBy(() -> outbox.cursor("kafka")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kafka").hasMessageContaining("city");
  }

  @Test
  void northboundAddedLater_owesWhatIsStillInTheOutbox_notWhatWasDelivered() {
    SqliteOutbox first = open("city");
    join(first.append(List.of(telemetry("a"), telemetry("a"))));
    join(first.cursor("city").markDelivered(List.of(1L)));
    first.close();

    SqliteOutbox second = open("city", "backup");

    assertThat(sequences(join(second.cursor("backup").nextBatch(10)))).containsExactly(2L);
    assertThat(sequences(join(second.cursor("city").nextBatch(10)))).containsExactly(2L);
  }

  @Test
  void northboundRemovedFromTheConfig_isForgotten_andAlertsNoOneElseOwesGoToHistory() {
    SqliteOutbox first = open("city", "backup");
    join(first.append(List.of(telemetry("a"), telemetry("a"))));
    join(first.cursor("city").markDelivered(List.of(1L)));
    first.close();

    SqliteOutbox second = open("city");

    OutboxStats stats = join(second.stats());
    assertThat(stats.pendingRows()).isEqualTo(1);
    assertThat(stats.historyRows()).isEqualTo(1);
    assertThat(sequences(join(second.cursor("city").nextBatch(10)))).containsExactly(2L);
  }

  /**
   * An {@code outbox.db} as releases before per-northbound delivery wrote it (its tables exactly as
   * they created them): one delivered alert in the history, a reading and a gas leak undelivered.
   */
  private List<AlertDraft> oldFile() throws Exception {
    AlertDraft reading = telemetry("gas-1");
    AlertDraft leak = alarm("gas-2", CanonicalType.GAS_LEAK, 1);
    AlertDraft delivered = telemetry("gas-3");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("outbox.db"));
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
      st.execute("CREATE TABLE outbox(sequence INTEGER PRIMARY KEY, alert_id TEXT NOT NULL,"
          + " device_id TEXT NOT NULL, type INTEGER NOT NULL, level INTEGER NOT NULL, state INTEGER NOT NULL,"
          + " priority INTEGER NOT NULL, evictable INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
          + " bytes INTEGER NOT NULL, payload BLOB NOT NULL)");
      st.execute("CREATE INDEX outbox_send ON outbox(priority, sequence)");
      st.execute("CREATE INDEX outbox_device ON outbox(device_id, priority)");
      st.execute("CREATE INDEX outbox_evict ON outbox(evictable DESC, level DESC, sequence)");
      st.execute("CREATE TABLE history(sequence INTEGER PRIMARY KEY, alert_id TEXT NOT NULL,"
          + " device_id TEXT NOT NULL, type INTEGER NOT NULL, level INTEGER NOT NULL, state INTEGER NOT NULL,"
          + " created_ms INTEGER NOT NULL, delivered_ms INTEGER NOT NULL)");
      long now = System.currentTimeMillis();
      st.execute("INSERT INTO history VALUES (1, '" + delivered.alertId() + "', 'gas-3', 1, 4, 1, " + now + ", " + now
          + ")");
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO outbox VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
        insertOld(ins, 2, reading, 1);
        insertOld(ins, 3, leak, 0);
      }
      st.execute("INSERT INTO meta VALUES ('last_sequence', 3)");
    }
    return List.of(leak, reading);
  }

  /** The common upgrade: a data dir of an earlier release, the one MQTT uplink. */
  @Test
  void fileOfTheSchemaBeforeCursors_withOneNorthbound_keepsItsUndeliveredAlertsInOrder() throws Exception {
    List<AlertDraft> undelivered = oldFile();

    SqliteOutbox outbox = open("uplink");

    List<OutboxRow> rows = join(outbox.cursor("uplink").nextBatch(10));
    assertThat(sequences(rows)).containsExactly(3L, 2L);
    assertThat(rows.stream().map(r -> decode(r).getAlertId()))
        .containsExactly(undelivered.get(0).alertId(), undelivered.get(1).alertId());
    join(outbox.append(List.of(telemetry("gas-1"))));
    assertThat(join(outbox.stats()).lastSequence()).as("numbering continues").isEqualTo(4);
    join(outbox.cursor("uplink").markDelivered(List.of(2L, 3L, 4L)));
    OutboxStats stats = join(outbox.stats());
    assertThat(stats.pendingRows()).isZero();
    assertThat(stats.historyRows()).isEqualTo(4);
  }

  @Test
  void fileOfTheSchemaBeforeCursors_withTwoNorthbounds_owesItsUndeliveredAlertsToBoth() throws Exception {
    List<AlertDraft> undelivered = oldFile();

    SqliteOutbox outbox = open("uplink", "backup");

    for (String northbound : List.of("uplink", "backup")) {
      List<OutboxRow> rows = join(outbox.cursor(northbound).nextBatch(10));
      assertThat(sequences(rows)).as(northbound).containsExactly(3L, 2L);
      assertThat(rows.stream().map(r -> decode(r).getAlertId())).as(northbound)
          .containsExactly(undelivered.get(0).alertId(), undelivered.get(1).alertId());
    }
    join(outbox.append(List.of(telemetry("gas-1"))));
    join(outbox.cursor("uplink").markDelivered(List.of(2L, 3L, 4L)));
    assertThat(join(outbox.stats()).pendingRows()).as("the backup still owes them").isEqualTo(3);
    join(outbox.cursor("backup").markDelivered(List.of(2L, 3L, 4L)));
    OutboxStats stats = join(outbox.stats());
    assertThat(stats.pendingRows()).isZero();
    assertThat(stats.historyRows()).isEqualTo(4);
  }

  private static void insertOld(PreparedStatement ins, long seq, AlertDraft d, int evictable) throws Exception {
    byte[] payload = AlertEncoder.encode(d, seq, OutboxFixture.GATEWAY_ID).toByteArray();
    ins.setLong(1, seq);
    ins.setString(2, d.alertId());
    ins.setString(3, d.device().deviceId());
    ins.setInt(4, d.type().protoNumber());
    ins.setInt(5, d.level());
    ins.setInt(6, d.state().protoNumber());
    ins.setInt(7, d.level());
    ins.setInt(8, evictable);
    ins.setLong(9, System.currentTimeMillis());
    ins.setInt(10, payload.length);
    ins.setBytes(11, payload);
    ins.executeUpdate();
  }
}
