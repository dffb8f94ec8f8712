package io.commguard.gateway.admin.auth;

import io.commguard.gateway.admin.AdminToken;
import io.commguard.gateway.admin.Credentials;
import io.commguard.gateway.admin.Principal;
import io.commguard.gateway.config.AdminConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.security.LoginThrottle;
import io.commguard.gateway.security.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Who may use the API: the admin token, the API tokens and the users of {@link UserStore}, and the
 * live console sessions. {@link #bearer} and {@link #session} answer the event loop from memory;
 * {@link #login} (a password hash check) and {@link #reload} (the store) block and run on workers.
 *
 * <p>Logins are throttled per address and per user name: after {@value #FREE_FAILURES} failures
 * each further one locks that key for 1 s, 2 s, 4 s … up to {@value #MAX_LOCKOUT_SECONDS} s. An
 * unknown user costs a hash check like a known one. Sessions end after {@code
 * admin.sessionIdleMinutes} without a request, {@code admin.sessionMaxHours} after the login, when
 * the user is removed or its password changes (also by the CLI: {@link #reloadIfChanged}), or at
 * logout; at most {@value #MAX_SESSIONS} live at once (the least recently used goes first).
 */
public final class AuthService implements Credentials {
  public static final int FREE_FAILURES = 5;
  public static final int MAX_LOCKOUT_SECONDS = 900;
  public static final int MAX_SESSIONS = 1000;
  static final String TOKEN_PREFIX = "cgt_";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a login attempt came to. */
  public sealed interface Login {
    record Ok(String cookie, Session session) implements Login {}

    record Refused() implements Login {}

    record Throttled(long retryAfterSeconds) implements Login {}
  }

  private record Snapshot(Map<String, UserStore.User> users, Map<String, Principal> tokensByHash, long version) {}

  private record Live(String user, String passwordHash, String csrf, Instant created, Instant lastSeen) {}

  private final UserStore store;
  private final Optional<AdminToken> adminToken;
  private final Duration idle;
  private final Duration absolute;
  private final Clock clock;
  private final Counters counters;
  private final LoginThrottle throttle;
  private final Map<String, Live> sessions = new ConcurrentHashMap<>();
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), -1);
  private volatile String decoyHash;

  public AuthService(UserStore store, Optional<AdminToken> adminToken, AdminConfig config, Clock clock,
      LongSupplier nanoClock, Counters counters) {
    this.store = store;
    this.adminToken = adminToken;
    this.idle = Duration.ofMinutes(config.sessionIdleMinutes());
    this.absolute = Duration.ofHours(config.sessionMaxHours());
    this.clock = clock;
    this.counters = counters;
    this.throttle = new LoginThrottle(FREE_FAILURES, MAX_LOCKOUT_SECONDS, 10_000, nanoClock);
  }

  /** Re-reads users and tokens (blocking); sessions of removed users or changed passwords end. */
  public void reload() {
    long version = store.version();
    Map<String, UserStore.User> users = store.users().stream()
        .collect(Collectors.toUnmodifiableMap(UserStore.User::name, Function.identity()));
    Map<String, Principal> tokens = store.tokens().stream().collect(Collectors.toUnmodifiableMap(
        UserStore.Token::tokenHash, t -> new Principal(t.name(), Principal.Kind.TOKEN, t.role())));
    snapshot = new Snapshot(users, tokens, version);
    sessions.values().removeIf(s -> !current(s));
    int iterations = PasswordHash.commonIterations(users.values().stream().map(UserStore.User::passwordHash).toList());
    if (decoyHash == null || !decoyHash.startsWith(PasswordHash.SCHEME + "$" + iterations + "$")) {
      char[] random = new char[24];
      for (int i = 0; i < random.length; i++) {
        random[i] = (char) ('a' + RANDOM.nextInt(26));
      }
      decoyHash = PasswordHash.hash(random, iterations);
    }
  }

  /** {@link #reload} when another process (the CLI) changed the store since the last one; blocking. */
  public void reloadIfChanged() {
    if (store.version() != snapshot.version()) {
      reload();
    }
  }

  /** Number of users: the console says how to make the first one when there is none. */
  public int userCount() {
    return snapshot.users().size();
  }

  /**
   * Checks a password (blocking: about as long for an unknown user as for a known one).
   *
   * @param address the client's address, the throttle's second key
   */
  public Login login(String user, char[] password, String address) {
    String userKey = "user:" + user.toLowerCase(Locale.ROOT);
    String addressKey = "address:" + address;
    long wait = Math.max(throttle.lockedForSeconds(userKey), throttle.lockedForSeconds(addressKey));
    if (wait > 0) {
      counters.increment("admin_logins", "", "throttled");
      return new Login.Throttled(wait);
    }
    UserStore.User u = snapshot.users().get(user);
    boolean ok = PasswordHash.verify(password, u == null ? decoyHash : u.passwordHash()) && u != null;
    if (!ok) {
      counters.increment("admin_logins", "", "failed");
      if (throttle.failed(userKey)) {
        counters.increment("admin_login_lockouts", "", "user");
      }
      if (throttle.failed(addressKey)) {
        counters.increment("admin_login_lockouts", "", "address");
      }
      return new Login.Refused();
    }
    throttle.succeeded(userKey);
    throttle.succeeded(addressKey);
    counters.increment("admin_logins", "", "ok");
    if (sessions.size() >= MAX_SESSIONS) {
      sessions.entrySet().stream().min(Comparator.comparing(e -> e.getValue().lastSeen()))
          .ifPresent(e -> sessions.remove(e.getKey()));
    }
    String id = randomToken(32);
    Instant now = clock.instant();
    Live live = new Live(u.name(), u.passwordHash(), randomToken(24), now, now);
    sessions.put(id, live);
    return new Login.Ok(id, new Session(new Principal(u.name(), Principal.Kind.SESSION, u.role()), live.csrf()));
  }

  public void logout(String cookie) {
    sessions.remove(cookie);
  }

  @Override
  public Optional<Principal> bearer(String token) {
    if (adminToken.isPresent() && adminToken.get().bearer(token).isPresent()) {
      return Optional.of(Principal.ADMIN_TOKEN);
    }
    if (!token.startsWith(TOKEN_PREFIX) || token.length() > 128) {
      return Optional.empty();
    }
    return Optional.ofNullable(snapshot.tokensByHash().get(tokenHash(token)));
  }

  @Override
  public Optional<Session> session(String cookie) {
    Live live = sessions.get(cookie);
    if (live == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    UserStore.User u = snapshot.users().get(live.user());
    if (u == null || !u.passwordHash().equals(live.passwordHash()) || !now.isBefore(live.lastSeen().plus(idle))
        || !now.isBefore(live.created().plus(absolute))) {
      sessions.remove(cookie);
      return Optional.empty();
    }
    sessions.replace(cookie, live, new Live(live.user(), live.passwordHash(), live.csrf(), live.created(), now));
    return Optional.of(new Session(new Principal(live.user(), Principal.Kind.SESSION, u.role()), live.csrf()));
  }

  /** A new API token's text (shown once) and the hash that is kept of it. */
  public static String[] newToken() {
    String token = TOKEN_PREFIX + randomToken(32);
    return new String[] {token, tokenHash(token)};
  }

  static String tokenHash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The session's user still exists with the password it logged in with. */
  private boolean current(Live live) {
    UserStore.User u = snapshot.users().get(live.user());
    return u != null && u.passwordHash().equals(live.passwordHash());
  }

  private static String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
