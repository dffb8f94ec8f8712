package io.commguard.gateway.source.modbus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where a link's client calls run. Netty links are asynchronous end to end, so their calls run
 * inline on the poller thread. A serial port is not: jSerialComm opens the port and writes each
 * frame synchronously, and a write can block for good when the adapter or the line goes away. Serial
 * calls therefore run on the link's own thread, so a stuck port never stalls the poller. A call made
 * while the previous one is still stuck fails at once with {@link PortBlockedException}; the poller
 * then {@link #abandon()}s the stuck thread and reopens the port on a fresh one.
 */
final class LinkIo {
  private final String threadName;
  private final boolean dedicated;
  private final long timeoutMs;
  private ExecutorService thread;
  private AtomicInteger running = new AtomicInteger();
  private int generation;

  private LinkIo(String threadName, boolean dedicated, long timeoutMs) {
    this.threadName = threadName;
    this.dedicated = dedicated;
    this.timeoutMs = timeoutMs;
    this.thread = dedicated ? newThread() : null;
  }

  static LinkIo inline() {
    return new LinkIo("", false, 0);
  }

  /**
   * @param timeoutMs the link's request timeout; a call still inside the port after it (a write
   *     that never returns, so the library never hands back its own timed future) fails with a
   *     timeout
   */
  static LinkIo dedicated(String linkId, long timeoutMs) {
    return new LinkIo("modbus-serial-" + linkId, true, timeoutMs);
  }

  /** Runs a client call; the result completes when the call's own stage does. Poller thread only. */
  <T> CompletableFuture<T> call(Supplier<? extends CompletionStage<T>> call) {
    if (!dedicated) {
      return invoke(call);
    }
    if (running.get() > 0) {
      return CompletableFuture.failedFuture(new PortBlockedException("serial port still busy with the previous call"));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    AtomicInteger counter = running;
    counter.incrementAndGet();
    thread.execute(() -> {
      CompletableFuture<T> done = invoke(call);
      // Free the port before passing the answer on: the answer may already be in, and the next
      // call it triggers must not find the port busy.
      counter.decrementAndGet();
      done.whenComplete((v, ex) -> {
        if (ex != null) {
          result.completeExceptionally(ex);
        } else {
          result.complete(v);
        }
      });
    });
    return result.orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** Leaves a stuck thread behind (it ends if its call ever returns) and starts a fresh one. */
  void abandon() {
    if (!dedicated) {
      return;
    }
    thread.shutdown();
    running = new AtomicInteger();
    generation++;
    thread = newThread();
  }

  void shutdown() {
    if (dedicated) {
      thread.shutdownNow();
    }
  }

  private ExecutorService newThread() {
    String name = threadName + (generation == 0 ? "" : "-" + generation);
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  private static <T> CompletableFuture<T> invoke(Supplier<? extends CompletionStage<T>> call) {
    try {
      return call.get().toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The serial port's thread is still inside an earlier call. */
  static final class PortBlockedException extends Exception {
    private static final long serialVersionUID = 1L;

    PortBlockedException(String message) {
      super(message, null, false, false);
    }
  }
}
