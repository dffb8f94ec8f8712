package io.commguard.gateway.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.commguard.gateway.admin.AdminToken;
import io.commguard.gateway.admin.Principal;
import io.commguard.gateway.admin.Role;
import io.commguard.gateway.config.AdminConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.testsupport.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users, sessions, throttling and tokens on a real users.db, with driven clocks. */
class AuthServiceTest {
  private static final char[] PASSWORD = "correct horse".toCharArray();
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
  private final AtomicLong nanos = new AtomicLong();
  private final Counters counters = new Counters();
  private UserStore store;
  private AuthService auth;

  @BeforeEach
  void open() {
    store = UserStore.open(dir, clock);
    store.addUser("alice", Role.ADMIN, PasswordHash.hash(PASSWORD, 10_000));
    store.addUser("tom", Role.TECHNICIAN, PasswordHash.hash(PASSWORD, 10_000));
    auth = new AuthService(store, Optional.of(new AdminToken("configured-token-0123")),
        new AdminConfig(true, null, null, null, null, 30, 2, null), clock, nanos::get, counters);
    auth.reload();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void theDatabase_isOwnerOnly_andHoldsNoPassword() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(UserStore.FILE))))
        .isEqualTo("rw-------");
    assertThat(new String(Files.readAllBytes(dir.resolve(UserStore.FILE)), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("correct horse");
  }

  @Test
  void login_givesASessionWithTheUsersRole_andACsrfToken() {
    AuthService.Login.Ok ok = (AuthService.Login.Ok) auth.login("tom", PASSWORD, "192.0.2.7");
    assertThat(ok.session().principal()).isEqualTo(new Principal("tom", Principal.Kind.SESSION, Role.TECHNICIAN));
    assertThat(ok.session().csrfToken()).hasSizeGreaterThan(30).isNotEqualTo(ok.cookie());
    assertThat(auth.session(ok.cookie())).contains(ok.session());
    assertThat(auth.session("forged")).isEmpty();
    assertThat(auth.login("tom", "wrong password".toCharArray(), "192.0.2.7")).isInstanceOf(AuthService.Login.Refused.class);
    assertThat(auth.login("nobody", PASSWORD, "192.0.2.7")).isInstanceOf(AuthService.Login.Refused.class);
    assertThat(counters.get("admin_logins", "", "failed")).isEqualTo(2);
  }

  @Test
  void sessions_endWhenIdle_atTheirMaximumAge_atLogout() {
    String idle = ((AuthService.Login.Ok) auth.login("tom", PASSWORD, "a")).cookie();
    clock.advance(Duration.ofMinutes(29));
    assertThat(auth.session(idle)).isPresent();
    clock.advance(Duration.ofMinutes(29));
    assertThat(auth.session(idle)).as("touched 29 min ago").isPresent();
    clock.advance(Duration.ofMinutes(30));
    assertThat(auth.session(idle)).as("30 min idle").isEmpty();

    String busy = ((AuthService.Login.Ok) auth.login("tom", PASSWORD, "a")).cookie();
    for (int i = 0; i < 7; i++) {
      clock.advance(Duration.ofMinutes(17));
      assertThat(auth.session(busy)).isPresent();
    }
    clock.advance(Duration.ofMinutes(17));
    assertThat(auth.session(busy)).as("2 h after login").isEmpty();

    String out = ((AuthService.Login.Ok) auth.login("tom", PASSWORD, "a")).cookie();
    auth.logout(out);
    assertThat(auth.session(out)).isEmpty();
  }

  @Test
  void aRemovedUser_orAChangedPassword_endsTheSessions_aNewRoleAppliesAtOnce() throws Exception {
    String tom = ((AuthService.Login.Ok) auth.login("tom", PASSWORD, "a")).cookie();
    String alice = ((AuthService.Login.Ok) auth.login("alice", PASSWORD, "a")).cookie();
    store.updateUser("tom", Role.VIEWER, null);
    auth.reload();
    assertThat(auth.session(tom).orElseThrow().principal().role()).isEqualTo(Role.VIEWER);

    // The CLI changes the file from another connection: the gateway notices through data_version.
    try (UserStore cli = UserStore.open(dir, clock)) {
      cli.updateUser("tom", null, PasswordHash.hash("another password".toCharArray(), 10_000));
      cli.addUser("bob", Role.ADMIN, PasswordHash.hash(PASSWORD, 10_000));
      cli.removeUser("alice");
    }
    auth.reloadIfChanged();
    assertThat(auth.session(tom)).isEmpty();
    assertThat(auth.session(alice)).isEmpty();
    assertThat(auth.login("bob", PASSWORD, "a")).isInstanceOf(AuthService.Login.Ok.class);
  }

  @Test
  void failedLogins_lockTheUserAndTheAddress_withGrowingBackoff() {
    for (int i = 0; i < AuthService.FREE_FAILURES; i++) {
      assertThat(auth.login("tom", "guess".toCharArray(), "192.0.2.7")).isInstanceOf(AuthService.Login.Refused.class);
    }
    assertThat(auth.login("tom", "guess".toCharArray(), "192.0.2.7")).isInstanceOf(AuthService.Login.Refused.class);
    assertThat(auth.login("tom", PASSWORD, "198.51.100.1")).as("the user is locked from any address")
        .isEqualTo(new AuthService.Login.Throttled(1));
    assertThat(auth.login("alice", PASSWORD, "192.0.2.7")).as("the address is locked for any user")
        .isEqualTo(new AuthService.Login.Throttled(1));
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertThat(auth.login("tom", "guess".toCharArray(), "192.0.2.7")).isInstanceOf(AuthService.Login.Refused.class);
    assertThat(auth.login("tom", PASSWORD, "192.0.2.7")).isEqualTo(new AuthService.Login.Throttled(2));
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
    assertThat(auth.login("tom", PASSWORD, "192.0.2.7")).isInstanceOf(AuthService.Login.Ok.class);
    assertThat(counters.get("admin_login_lockouts", "", "user")).isEqualTo(2);
    assertThat(counters.get("admin_login_lockouts", "", "address")).isEqualTo(2);
    assertThat(counters.get("admin_logins", "", "throttled")).isEqualTo(3);
  }

  @Test
  void unknownUsers_arePacedLikeKnownOnes() {
    for (int i = 0; i <= AuthService.FREE_FAILURES; i++) {
      auth.login("ghost", PASSWORD, "192.0.2.9");
    }
    assertThat(auth.login("ghost", PASSWORD, "192.0.2.10")).isInstanceOf(AuthService.Login.Throttled.class);
  }

  @Test
  void bearerTokens_theConfiguredOneIsAdmin_apiTokensByTheirHash() {
    assertThat(auth.bearer("configured-token-0123")).contains(Principal.ADMIN_TOKEN);
    String[] tokenAndHash = AuthService.newToken();
    store.addToken("ci", Role.INSTALLER, tokenAndHash[1], "user:alice");
    assertThat(auth.bearer(tokenAndHash[0])).as("before the reload").isEmpty();
    auth.reload();
    assertThat(auth.bearer(tokenAndHash[0])).contains(new Principal("ci", Principal.Kind.TOKEN, Role.INSTALLER));
    assertThat(auth.bearer(tokenAndHash[0] + "x")).isEmpty();
    assertThat(store.tokens().get(0).tokenHash()).isNotEqualTo(tokenAndHash[0]);
    store.removeToken("ci");
    auth.reload();
    assertThat(auth.bearer(tokenAndHash[0])).isEmpty();
  }

  @Test
  void theLastAdmin_cannotBeRemovedOrDemoted_namesAndPasswordsAreChecked() {
    assertThatThrownBy(() -> store.removeUser("alice")).isInstanceOf(UserStore.Conflict.class).hasMessageContaining("last admin");
    assertThatThrownBy(() -> store.updateUser("alice", Role.VIEWER, null)).hasMessageContaining("last admin");
    assertThatThrownBy(() -> store.addUser("tom", Role.VIEWER, "x")).isInstanceOf(UserStore.Conflict.class);
    assertThatThrownBy(() -> store.addUser("bad name", Role.VIEWER, "x")).hasMessageContaining("user name must be");
    assertThatThrownBy(() -> store.removeUser("nobody")).isInstanceOf(UserStore.NotFound.class);
    assertThatThrownBy(() -> UserStore.checkPassword("short".toCharArray())).hasMessageContaining("10 to 256");
    assertThatThrownBy(() -> Role.parse("root")).hasMessageContaining("admin, installer, technician, viewer");
  }
}
