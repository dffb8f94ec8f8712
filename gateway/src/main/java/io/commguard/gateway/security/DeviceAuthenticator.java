package io.commguard.gateway.security;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Decides device logins so that guessing is slow and cannot starve real devices.
 *
 * <p>In order, all cheap steps on the caller's thread (the event loop), the slow one on a pool of
 * its own:
 * <ol>
 *   <li>a username that cannot be a device id (pattern, length) is refused;
 *   <li>an address in backoff is refused;
 *   <li>a password equal to the one this device last logged in with is accepted at once (a SHA-256
 *       compare) — this is the priority lane for known-good devices, and it is not subject to the
 *       per-username backoff, so guessing a device's name cannot lock the device out;
 *   <li>a username in backoff is refused;
 *   <li>the check is queued, served round-robin across addresses ({@link RoundRobinVerifier}), so a
 *       flood from one address delays only itself; a full queue is refused at once as busy;
 *   <li>on the pool: if the client has gone, or a backoff began while the check waited, nothing is
 *       computed; otherwise PBKDF2 runs against the
 *       device's hash — or, for an unknown username, against a dummy hash of the same cost, so a
 *       wrong name and a wrong password take the same time and give the same answer.
 * </ol>
 * Failures feed the per-address and per-username {@link LoginThrottle}s.
 */
public final class DeviceAuthenticator implements AutoCloseable {
  /** What became of a login. */
  public enum Outcome {
    ACCEPTED,
    /** Wrong password or unknown username: the same answer for both. */
    REFUSED,
    /** The username cannot be a device id; refused without any hashing. */
    MALFORMED,
    LOCKED_OUT,
    BUSY,
    /** The client left before its check ran; nothing was computed. */
    ABANDONED
  }

  /** Outcome, and whether this failure started a lockout (address or username) worth a log line. */
  public record Decision(Outcome outcome, String lockoutStarted) {
    public static Decision of(Outcome outcome) {
      return new Decision(outcome, null);
    }
  }

  /** The knobs of {@code deviceEndpoint.auth} (see docs/configuration.md). */
  public record Policy(int verifyThreads, int verifyQueue, int freeFailuresPerAddress, int freeFailuresPerDevice,
      int maxLockoutSeconds) {}

  private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final int MAX_TRACKED = 10_000;

  private final VerifiedPasswords verified;
  private final LoginThrottle byAddress;
  private final LoginThrottle byUsername;
  private final RoundRobinVerifier pool;
  private final String dummyHash;

  /**
   * @param deviceHashes the configured devices' password hashes: the stand-in check for unknown
   *     usernames uses the iteration count most of them use, so it costs what a real check costs
   */
  public DeviceAuthenticator(Policy config, VerifiedPasswords verified, LongSupplier nanoClock,
      Collection<String> deviceHashes) {
    this.dummyHash = PasswordHash.hash(new char[] {'-'}, PasswordHash.commonIterations(deviceHashes));
    this.verified = verified;
    this.byAddress = new LoginThrottle(config.freeFailuresPerAddress(), config.maxLockoutSeconds(), MAX_TRACKED, nanoClock);
    this.byUsername = new LoginThrottle(config.freeFailuresPerDevice(), config.maxLockoutSeconds(), MAX_TRACKED, nanoClock);
    this.pool = new RoundRobinVerifier(config.verifyThreads(), config.verifyQueue(), "login-verify");
  }

  /**
   * Decides one login. Completes on the caller's thread for the cheap outcomes, else on a
   * verification thread.
   *
   * @param storedHash the device's password hash, or null when the username is not a device here
   * @param gone true once the client has disconnected
   */
  public CompletableFuture<Decision> authenticate(String address, String username, char[] password, String storedHash,
      BooleanSupplier gone) {
    if (username == null || password == null || username.length() > 64 || !DEVICE_ID.matcher(username).matches()) {
      return CompletableFuture.completedFuture(new Decision(Outcome.MALFORMED, byAddress.failed(address) ? "address" : null));
    }
    if (byAddress.lockedOut(address)) {
      return CompletableFuture.completedFuture(Decision.of(Outcome.LOCKED_OUT));
    }
    if (storedHash != null && verified.known(username, password, storedHash)) {
      return CompletableFuture.completedFuture(Decision.of(Outcome.ACCEPTED));
    }
    if (byUsername.lockedOut(username)) {
      return CompletableFuture.completedFuture(Decision.of(Outcome.LOCKED_OUT));
    }
    CompletableFuture<Decision> result = new CompletableFuture<>();
    boolean queued = pool.offer(address, () -> {
      try {
        if (gone.getAsBoolean()) {
          result.complete(Decision.of(Outcome.ABANDONED));
        } else if (byAddress.lockedOut(address) || byUsername.lockedOut(username)) {
          result.complete(Decision.of(Outcome.LOCKED_OUT)); // backoff began while this check waited
        } else {
          result.complete(verify(address, username, password, storedHash));
        }
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return queued ? result : CompletableFuture.completedFuture(Decision.of(Outcome.BUSY));
  }

  private Decision verify(String address, String username, char[] password, String storedHash) {
    boolean ok = PasswordHash.verify(password, storedHash != null ? storedHash : dummyHash) && storedHash != null;
    if (ok) {
      verified.remember(username, password, storedHash);
      byUsername.succeeded(username);
      return Decision.of(Outcome.ACCEPTED);
    }
    String started = byAddress.failed(address) ? "address" : null;
    if (byUsername.failed(username) && started == null) {
      started = "username";
    }
    return new Decision(Outcome.REFUSED, started);
  }

  /** Addresses and usernames tracked by the throttles, and addresses with checks waiting. */
  public int trackedKeys() {
    return byAddress.size() + byUsername.size() + pool.addresses();
  }

  /** Slow checks waiting for a thread. */
  public int queued() {
    return pool.size();
  }

  @Override
  public void close() {
    pool.close();
  }
}
