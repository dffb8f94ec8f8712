package io.commguard.gateway.source.modbus;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that owns every link's state. Tasks handed to it after shutdown are dropped
 * silently rather than thrown back at the caller, which may be a library or pipeline thread
 * completing a future after the source stopped.
 */
final class PollerThread implements Executor {
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "modbus-poller");
    t.setDaemon(true);
    return t;
  });

  @Override
  public void execute(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException stopped) {
      // The source is stopping: late answers and acknowledgements have nowhere to go.
    }
  }

  ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
  }

  void shutdown() {
    executor.shutdownNow();
  }
}
