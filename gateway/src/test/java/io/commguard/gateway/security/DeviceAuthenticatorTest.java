package io.commguard.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.security.DeviceAuthenticator.Decision;
import io.commguard.gateway.security.DeviceAuthenticator.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeviceAuthenticatorTest {
  private static final String HASH = PasswordHash.hash("right-secret".toCharArray());
  private static final BooleanSupplier PRESENT = () -> false;

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final CountDownLatch release = new CountDownLatch(1);
  private DeviceAuthenticator auth;

  @AfterEach
  void close() {
    release.countDown();
    auth.close();
  }

  private DeviceAuthenticator create(int queue, int freePerAddress, int freePerDevice) {
    auth = new DeviceAuthenticator(new DeviceAuthenticator.Policy(1, queue, freePerAddress, freePerDevice, 60),
        new VerifiedPasswords(), nanos::get, List.of(HASH));
    return auth;
  }

  private static Outcome login(DeviceAuthenticator a, String address, String user, String password, String hash) {
    return a.authenticate(address, user, password.toCharArray(), hash, PRESENT).join().outcome();
  }

  /** Occupies the single verification thread until {@link #release} opens. */
  private void blockPool(DeviceAuthenticator a) {
    CountDownLatch running = new CountDownLatch(1);
    a.authenticate("10.0.0.99", "cam-9", "x".toCharArray(), HASH, () -> {
      running.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return true;
    });
    try {
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void unknownUsername_takesTheSamePathAndAnswerAsAWrongPassword() {
    DeviceAuthenticator a = create(8, 100, 100);
    blockPool(a);

    CompletableFuture<Decision> unknown = a.authenticate("10.0.0.1", "no-such-device", "guess".toCharArray(), null, PRESENT);
    CompletableFuture<Decision> wrong = a.authenticate("10.0.0.2", "cam-1", "guess".toCharArray(), HASH, PRESENT);
    assertThat(unknown).as("queued for a full PBKDF2 like a known id").isNotDone();
    assertThat(wrong).isNotDone();
    release.countDown();

    assertThat(unknown.join().outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(wrong.join().outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(login(a, "10.0.0.3", "cam-1", "right-secret", HASH)).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void failuresFromOneAddress_backOffExponentially_thenExpire() {
    DeviceAuthenticator a = create(8, 2, 100);

    assertThat(login(a, "10.0.0.1", "cam-1", "g1", HASH)).isEqualTo(Outcome.REFUSED);
    assertThat(login(a, "10.0.0.1", "cam-1", "g2", HASH)).isEqualTo(Outcome.REFUSED);
    Decision third = a.authenticate("10.0.0.1", "cam-1", "g3".toCharArray(), HASH, PRESENT).join();
    assertThat(third.lockoutStarted()).isEqualTo("address");

    assertThat(login(a, "10.0.0.1", "cam-1", "right-secret", HASH)).as("locked: not even checked").isEqualTo(Outcome.LOCKED_OUT);
    assertThat(login(a, "10.0.0.2", "cam-1", "right-secret", HASH)).as("another address is not").isEqualTo(Outcome.ACCEPTED);

    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1001));
    assertThat(login(a, "10.0.0.1", "cam-1", "g4", HASH)).isEqualTo(Outcome.REFUSED);
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1500));
    assertThat(login(a, "10.0.0.1", "cam-1", "g5", HASH)).as("second lockout is 2 s").isEqualTo(Outcome.LOCKED_OUT);
  }

  @Test
  void guessingADevicesName_locksTheName_butNotTheDeviceWithItsKnownPassword() {
    DeviceAuthenticator a = create(8, 100, 1);
    assertThat(login(a, "10.0.0.5", "cam-1", "right-secret", HASH)).isEqualTo(Outcome.ACCEPTED);

    assertThat(login(a, "10.0.0.1", "cam-1", "g1", HASH)).isEqualTo(Outcome.REFUSED);
    assertThat(login(a, "10.0.0.2", "cam-1", "g2", HASH)).isEqualTo(Outcome.REFUSED);
    assertThat(login(a, "10.0.0.3", "cam-1", "g3", HASH)).as("the name is in backoff").isEqualTo(Outcome.LOCKED_OUT);

    assertThat(login(a, "10.0.0.5", "cam-1", "right-secret", HASH)).as("known-good lane").isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void checksAreServedRoundRobinAcrossAddresses_andAFullQueueAnswersBusyAtOnce() {
    DeviceAuthenticator a = create(5, 1000, 1000);
    blockPool(a);
    List<String> served = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Decision>> all = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      String tag = "flood-" + i;
      all.add(a.authenticate("10.0.0.1", "cam-1", "g".toCharArray(), HASH, () -> served.add(tag) && false));
    }
    all.add(a.authenticate("10.0.0.2", "cam-2", "right-secret".toCharArray(), HASH, () -> served.add("device") && false));
    assertThat(login(a, "10.0.0.3", "cam-3", "g", HASH)).as("queue of 5 is full").isEqualTo(Outcome.BUSY);

    release.countDown();
    all.forEach(CompletableFuture::join);
    assertThat(served).containsExactly("flood-1", "device", "flood-2", "flood-3", "flood-4");
    assertThat(all.get(4).join().outcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void clientGoneBeforeItsTurn_nothingComputedAndNoFailureCounted() {
    DeviceAuthenticator a = create(8, 0, 0);

    Decision d = a.authenticate("10.0.0.1", "cam-1", "g".toCharArray(), HASH, () -> true).join();

    assertThat(d.outcome()).isEqualTo(Outcome.ABANDONED);
    assertThat(login(a, "10.0.0.1", "cam-1", "right-secret", HASH)).as("no failure was recorded").isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void usernamesThatCannotBeDeviceIds_refusedWithoutHashingOrNewKeys() {
    DeviceAuthenticator a = create(8, 1000, 1000);
    for (int i = 0; i < 500; i++) {
      String huge = "user-" + i + "x".repeat(60_000);
      CompletableFuture<Decision> d = a.authenticate("10.0.0.1", huge, "p".toCharArray(), null, PRESENT);
      assertThat(d).isDone();
      assertThat(d.join().outcome()).isEqualTo(Outcome.MALFORMED);
    }
    assertThat(a.trackedKeys()).as("only the address").isEqualTo(1);
  }
}
