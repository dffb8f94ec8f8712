package io.commguard.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final AtomicLong nanos = new AtomicLong();

  @Test
  void lockoutDoublesUpToTheMaximum() {
    LoginThrottle t = new LoginThrottle(0, 4, 100, nanos::get);
    long[] expectedSeconds = {1, 2, 4, 4};
    for (long seconds : expectedSeconds) {
      t.failed("a");
      nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds) - 1);
      assertThat(t.lockedOut("a")).isTrue();
      nanos.addAndGet(1);
      assertThat(t.lockedOut("a")).isFalse();
    }
  }

  @Test
  void fullTable_newKeysShareTheOverflowEntry_trackedKeysKeepTheirOwn() {
    LoginThrottle t = new LoginThrottle(2, 60, 10, nanos::get);
    for (int i = 0; i < 10; i++) {
      t.failed("known-" + i);
    }
    for (int i = 0; i < 1000; i++) {
      t.failed("flood-" + i);
    }

    assertThat(t.size()).isEqualTo(11);
    assertThat(t.lockedOut("flood-new")).as("the overflow entry is locked").isTrue();
    assertThat(t.lockedOut("known-3")).isFalse();
  }

  @Test
  void success_clearsTheKey() {
    LoginThrottle t = new LoginThrottle(0, 60, 10, nanos::get);
    t.failed("a");
    t.succeeded("a");
    assertThat(t.lockedOut("a")).isFalse();
    assertThat(t.size()).isZero();
  }
}
