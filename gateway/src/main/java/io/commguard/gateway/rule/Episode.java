package io.commguard.gateway.rule;

import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Evidence;
import io.commguard.gateway.model.Measurement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Mutable state of one alarm episode. Pending (no alert id yet) while the raise debounce counts;
 * open once RAISED; removed when CLEARED. Owned by {@link EpisodeBook}, touched by one thread at a
 * time.
 */
final class Episode {
  static final int MAX_EVIDENCE_REMEMBERED = 64;

  final EpisodeKey key;
  DeviceRef device;
  EventKind kind;
  /** Null while pending. */
  String alertId;
  /** The level the device or threshold asks for. */
  int desiredLevel;
  /** The level last announced (after confirmation). */
  int level;
  Instant occurredAt;
  int activeRun;
  Instant activeSince;
  int inactiveRun;
  Instant inactiveSince;
  Instant lastActivity;
  Instant lastUpdate;
  boolean pulse;
  /** Derived by the gateway (offline, no activity): opened and closed by its watchdog only. */
  boolean managed;
  /** Its raise was refused by the rate limiter; retried by its next sample, not by the tick. */
  boolean rateLimited;
  /** Restored from disk for a device or household the config no longer has. */
  boolean orphan;
  /** Loaded from disk at start (not opened by this run). */
  boolean restoredFromDisk;
  /**
   * Imported from a rule-state file of a release that committed rule state and alerts separately,
   * and not yet re-announced (its RAISED or UPDATED may have been lost in that release's crash gap).
   */
  boolean restored;
  /**
   * Only in state imported from such a release: the episode was cleared but its CLEARED may not
   * have reached the outbox; it is sent once more at the first tick.
   */
  Instant clearedAt;
  /** The extra attributes its CLEARED carried (e.g. {@code clearedBy}). */
  Map<String, String> clearedWith = Map.of();
  String nativeCode = "";
  String description = "";
  List<Measurement> measurements = List.of();
  Map<String, String> attributes = Map.of();
  final LinkedHashSet<String> evidenceSeen = new LinkedHashSet<>();
  final List<Evidence> pendingEvidence = new ArrayList<>();

  Episode(EpisodeKey key) {
    this.key = key;
  }

  boolean open() {
    return alertId != null;
  }

  /** Remembers {@code e}; true when it was not seen in this episode before. */
  boolean remember(Evidence e) {
    if (!evidenceSeen.add(e.kind() + "|" + e.ref())) {
      return false;
    }
    if (evidenceSeen.size() > MAX_EVIDENCE_REMEMBERED) {
      evidenceSeen.remove(evidenceSeen.iterator().next());
    }
    return true;
  }
}
