package io.commguard.gateway.outbox;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The outbox's storage states and their one fault alert. <i>Storage full</i>: over {@code maxBytes}
 * with only level 1/2 alarms left — decisions holding an alarm wait, the alerts of others are shed.
 * <i>Disk full</i>: SQLite reported {@code SQLITE_FULL} or an I/O error — every decision waits and
 * is retried. Either raises the level-2 {@code outbox_storage_full} alert; it is cleared (same id)
 * once neither holds, storage full ending below {@value #RESUME_RATIO} of the bound. Writer thread
 * only; the alerts go to the outbox's own-alert list, committed with the next group.
 */
final class StorageFull {
  private static final System.Logger LOG = System.getLogger(StorageFull.class.getName());
  private static final double RESUME_RATIO = 0.9;
  private static final String CODE = "outbox_storage_full";

  private final String gatewayId;
  private final long maxBytes;
  private final Path file;
  private final Counters counters;
  private final Clock clock;
  private final List<AlertDraft> ownAlerts;
  private boolean storageFull;
  private boolean diskFull;
  private String alertId;

  StorageFull(String gatewayId, long maxBytes, Path file, Counters counters, Clock clock, List<AlertDraft> ownAlerts) {
    this.gatewayId = gatewayId;
    this.maxBytes = maxBytes;
    this.file = file;
    this.counters = counters;
    this.clock = clock;
    this.ownAlerts = ownAlerts;
  }

  /** True while alarms wait and other alerts are shed (storage full, the disk still writable). */
  boolean shedding() {
    return storageFull && !diskFull;
  }

  boolean diskFull() {
    return diskFull;
  }

  boolean any() {
    return storageFull || diskFull;
  }

  /** Why level 1/2 alarms are refused now, or null when they are accepted. */
  String refusal() {
    return diskFull ? "disk full" : storageFull ? "pending alerts at outbox.maxBytes" : null;
  }

  /** After eviction: still over the bound means only alarms are left. */
  void afterEviction(long pendingBytes) {
    if (pendingBytes > maxBytes && !storageFull) {
      storageFull = true;
      raise("only level 1/2 alarms left and the outbox is over its byte bound (maxBytes=" + maxBytes + ")");
    }
  }

  static boolean isStorageError(SQLException e) {
    if (e instanceof SQLiteException se) {
      int primary = se.getResultCode().code & 0xff;
      return primary == SQLiteErrorCode.SQLITE_FULL.code || primary == SQLiteErrorCode.SQLITE_IOERR.code;
    }
    return false;
  }

  void enterDiskFull(SQLException e) {
    if (!diskFull) {
      diskFull = true;
      LOG.log(Level.ERROR, "Outbox storage is full; refusing level 1/2 alarms and shedding the rest until space returns."
          + " file={0} reason={1}", file, e.getMessage());
      counters.increment("outbox_disk_full");
      if (alertId == null) {
        raise("disk full: " + e.getMessage());
      }
    }
  }

  /** A commit succeeded: a full disk has room again. */
  void committed(long pendingRows, long pendingBytes) {
    if (diskFull) {
      diskFull = false;
      LOG.log(Level.INFO, "Outbox storage writable again. pendingRows={0}", pendingRows);
      leaveIfRoom(pendingBytes);
    }
  }

  /** Delivery freed room: storage full ends below the resume ratio, and the alert clears when no state holds. */
  void leaveIfRoom(long pendingBytes) {
    if (storageFull && pendingBytes <= maxBytes * RESUME_RATIO) {
      storageFull = false;
    }
    if (!storageFull && !diskFull && alertId != null) {
      LOG.log(Level.INFO, "Outbox storage available again. pendingBytes={0}", pendingBytes);
      ownAlerts.add(alert(AlertState.CLEARED, "Outbox storage available again"));
      alertId = null;
    }
  }

  private void raise(String why) {
    alertId = "gw-storage-" + gatewayId + "-" + clock.millis();
    LOG.log(Level.ERROR, "Outbox storage full; level 1/2 alarms are refused (devices retransmit). reason={0}", why);
    ownAlerts.add(alert(AlertState.RAISED, "Outbox storage full: " + why));
  }

  private AlertDraft alert(AlertState state, String description) {
    return GatewayAlerts.of(gatewayId, alertId, CanonicalType.GATEWAY_FAULT, 2, state, CODE, description, Map.of(),
        List.of(), clock.instant());
  }
}
