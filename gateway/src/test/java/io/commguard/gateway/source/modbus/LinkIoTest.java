package io.commguard.gateway.source.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LinkIoTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final LinkIo io = LinkIo.dedicated("t", 200);

  @AfterEach
  void tearDown() {
    release.countDown();
    io.shutdown();
  }

  @Test
  void call_answeredBeforeItReturns_leavesThePortFreeForTheNext() throws Exception {
    for (int i = 0; i < 200; i++) {
      int n = i;
      // The answer is complete before the call returns, as when a device answers very fast.
      CompletableFuture<Integer> first = io.call(() -> CompletableFuture.completedFuture(n));
      assertThat(first.thenCompose(v -> io.call(() -> CompletableFuture.completedFuture(v + 1))).get(5, TimeUnit.SECONDS))
          .isEqualTo(n + 1);
    }
  }

  @Test
  void callStuckInThePort_timesOut_thenPortBlocked_untilAbandoned() throws Exception {
    CompletableFuture<Integer> stuck = io.call(() -> {
      awaitRelease();
      return CompletableFuture.completedFuture(1);
    });
    assertThatThrownBy(() -> stuck.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    assertThatThrownBy(() -> io.call(() -> CompletableFuture.completedFuture(2)).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(LinkIo.PortBlockedException.class);
    io.abandon();
    assertThat(io.call(() -> CompletableFuture.completedFuture(3)).get(5, TimeUnit.SECONDS)).isEqualTo(3);
  }

  private void awaitRelease() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
