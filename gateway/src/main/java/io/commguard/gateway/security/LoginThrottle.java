package io.commguard.gateway.security;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Failed logins per key (an IP address, or a username) with exponential backoff: after
 * {@code freeFailures} failures each further one locks the key for 1 s, 2 s, 4 s … up to
 * {@code maxLockout}. A key with no failure for twice the longest lockout is forgotten.
 *
 * <p>Keys come from peers, so at most {@code maxKeys} are tracked; when the table is full and
 * nothing is stale, new keys share one overflow entry — under a flood of fresh names that entry is
 * locked quickly, while the keys already tracked (configured devices, earlier addresses) keep their
 * own state. Thread-safe; every call is O(1) except the sweep, which runs at most once per second.
 */
public final class LoginThrottle {
  private static final long BASE_LOCKOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final String OVERFLOW = "\u0000overflow";

  private static final class Entry {
    int failures;
    long lockedUntil;
    long lastFailure;
  }

  private final int freeFailures;
  private final long maxLockoutNanos;
  private final int maxKeys;
  private final LongSupplier nanoClock;
  private final Map<String, Entry> entries = new HashMap<>();
  private long lastSweep;

  public LoginThrottle(int freeFailures, long maxLockoutSeconds, int maxKeys, LongSupplier nanoClock) {
    this.freeFailures = freeFailures;
    this.maxLockoutNanos = TimeUnit.SECONDS.toNanos(maxLockoutSeconds);
    this.maxKeys = maxKeys;
    this.nanoClock = nanoClock;
    this.lastSweep = nanoClock.getAsLong();
  }

  /** True while the key is locked out (cheap: no entry is created). */
  public synchronized boolean lockedOut(String key) {
    Entry e = entries.get(key);
    if (e == null && entries.size() >= maxKeys) {
      e = entries.get(OVERFLOW);
    }
    return e != null && nanoClock.getAsLong() - e.lockedUntil < 0;
  }

  /** Whole seconds until the key's lockout ends (at least 1 while locked), 0 when it is not locked: a Retry-After. */
  public synchronized long lockedForSeconds(String key) {
    Entry e = entries.get(key);
    if (e == null && entries.size() >= maxKeys) {
      e = entries.get(OVERFLOW);
    }
    long left = e == null ? 0 : e.lockedUntil - nanoClock.getAsLong();
    return left <= 0 ? 0 : Math.max(1, (left + BASE_LOCKOUT_NANOS - 1) / BASE_LOCKOUT_NANOS);
  }

  /**
   * Records a failure; returns true when this failure starts a lockout (the moment worth one log
   * line), false while still within the free failures or already locked.
   */
  public synchronized boolean failed(String key) {
    long now = nanoClock.getAsLong();
    Entry e = entry(key, now);
    boolean wasLocked = now - e.lockedUntil < 0;
    e.failures++;
    e.lastFailure = now;
    int over = e.failures - freeFailures;
    if (over > 0) {
      long lockout = over > 30 ? maxLockoutNanos : Math.min(maxLockoutNanos, BASE_LOCKOUT_NANOS << (over - 1));
      e.lockedUntil = now + lockout;
      return !wasLocked;
    }
    return false;
  }

  /** A verified login clears the key's failures. */
  public synchronized void succeeded(String key) {
    entries.remove(key);
  }

  /** Keys tracked now (bounded by {@code maxKeys} plus the overflow entry). */
  public synchronized int size() {
    return entries.size();
  }

  private Entry entry(String key, long now) {
    Entry e = entries.get(key);
    if (e != null) {
      return e;
    }
    if (entries.size() >= maxKeys && now - lastSweep > BASE_LOCKOUT_NANOS) {
      lastSweep = now;
      entries.values().removeIf(old -> now - old.lastFailure > 2 * maxLockoutNanos);
    }
    return entries.computeIfAbsent(entries.size() >= maxKeys ? OVERFLOW : key, k -> {
      Entry fresh = new Entry();
      fresh.lockedUntil = now;
      return fresh;
    });
  }
}
