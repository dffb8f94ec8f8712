package io.commguard.gateway.pipeline;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The identities of each device's most recent publishes whose decisions are committed ({@link
 * Receipt#KEPT_PER_DEVICE} per device), and of those still being committed. Thread-safe: updated from the outbox's writer thread when a commit completes.
 *
 * <p>Overload policy: memory is bounded by {@link Receipt#KEPT_PER_DEVICE} identities per known device, and
 * pending entries by the outbox queue bound that admits decisions.
 */
final class ReceiptBook {
  private final Map<String, ArrayDeque<String>> committed = new HashMap<>();
  private final Map<Receipt, CompletableFuture<Void>> pending = new HashMap<>();

  ReceiptBook(Map<String, List<String>> loaded) {
    loaded.forEach((device, ids) -> ids.forEach(id -> remember(device, id)));
  }

  /** The commit in progress of this publish, a completed stage if it is committed, else null. */
  synchronized CompletableFuture<Void> find(Receipt r) {
    CompletableFuture<Void> inProgress = pending.get(key(r));
    if (inProgress != null) {
      return inProgress;
    }
    ArrayDeque<String> ids = committed.get(r.deviceId());
    return ids != null && ids.contains(r.identity()) ? CompletableFuture.completedFuture(null) : null;
  }

  /** Tracks a decision's commit; once it succeeds the receipt counts as committed. */
  void track(Receipt r, CompletableFuture<Void> commit) {
    if (commit.isDone() && !commit.isCompletedExceptionally()) {
      synchronized (this) {
        remember(r.deviceId(), r.identity());
      }
      return;
    }
    Receipt k = key(r);
    synchronized (this) {
      pending.put(k, commit);
    }
    commit.whenComplete((ok, error) -> {
      synchronized (this) {
        pending.remove(k, commit);
        if (error == null) {
          remember(r.deviceId(), r.identity());
        }
      }
    });
  }

  private void remember(String device, String identity) {
    ArrayDeque<String> ids = committed.computeIfAbsent(device, d -> new ArrayDeque<>());
    if (ids.size() >= Receipt.KEPT_PER_DEVICE) {
      ids.pollFirst();
    }
    ids.addLast(identity);
  }

  private static Receipt key(Receipt r) {
    return r.duplicate() ? new Receipt(r.deviceId(), r.identity(), false) : r;
  }
}
