package io.commguard.gateway.outbox;

import static io.commguard.gateway.outbox.Drafts.alarm;
import static io.commguard.gateway.outbox.Drafts.telemetry;
import static io.commguard.gateway.outbox.OutboxFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order a cursor hands rows out in: level 1 first, a share for the oldest whatever their level
 * (so a stream of urgent alerts cannot hold the others back for good), each device in its order.
 * Real SQLite files, with one northbound and with two.
 */
class SendOrderTest {
  @TempDir Path dir;
  @RegisterExtension final OutboxFixture outboxes = new OutboxFixture();

  private SqliteOutbox open(String... northbounds) {
    return outboxes.open(dir.resolve(String.join("+", northbounds)), OutboxConfig.DEFAULTS, northbounds);
  }

  @Test
  void levelOneFirst_butTheOldestShareReachesALowerLevelBehindAStreamOfLevelOne() {
    for (String[] northbounds : List.of(new String[] {"uplink"}, new String[] {"city", "backup"})) {
      SqliteOutbox outbox = open(northbounds);
      AlertDraft reading = telemetry("meter-1");
      join(outbox.append(List.of(reading)));
      List<AlertDraft> fires = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        fires.add(alarm("smoke-" + i, CanonicalType.FIRE_SMOKE, 1));
      }
      join(outbox.append(fires));
      OutboxCursor cursor = outbox.cursor(northbounds[0]);

      List<OutboxRow> strict = join(cursor.nextBatch(100));
      assertThat(strict).hasSize(100).allMatch(r -> r.priority() == 1);
      cursor.release(strict.stream().map(OutboxRow::sequence).toList());

      List<OutboxRow> shared = join(cursor.nextBatch(100, 10));
      assertThat(shared).hasSize(100);
      assertThat(shared.get(0).priority()).as("level 1 still leads the fetch").isEqualTo(1);
      assertThat(shared).as("the oldest row, a level-4 reading, has its share")
          .anyMatch(r -> r.alertId().equals(reading.alertId()));
      assertThat(shared.get(shared.size() - 1).alertId()).as("sent after the level-1 rows of the fetch")
          .isEqualTo(reading.alertId());
    }
  }

  @Test
  void fetchesWithAnOldestShare_keepEachDevicesOrder_andHandOutEveryRowOnce() {
    SqliteOutbox outbox = open("uplink");
    List<AlertDraft> drafts = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String device = "dev-" + i % 7;
      int level = 1 + (i * 31 + i / 7) % 4;
      drafts.add(level == 4 ? telemetry(device) : alarm(device, CanonicalType.GAS_LEAK, level));
    }
    join(outbox.append(drafts));
    OutboxCursor cursor = outbox.cursor("uplink");
    Map<String, Long> lastOfDevice = new HashMap<>();
    List<Long> handedOut = new ArrayList<>();
    List<OutboxRow> rows;
    while (!(rows = join(cursor.nextBatch(40, 5))).isEmpty()) {
      for (OutboxRow r : rows) {
        Long last = lastOfDevice.put(r.deviceId(), r.sequence());
        assertThat(last == null || last < r.sequence()).as("row %d of %s after %d", r.sequence(), r.deviceId(), last)
            .isTrue();
        handedOut.add(r.sequence());
      }
      join(cursor.markDelivered(rows.stream().map(OutboxRow::sequence).toList()));
    }
    assertThat(handedOut).hasSize(600).doesNotHaveDuplicates();
  }
}
