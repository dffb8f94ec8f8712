package io.commguard.gateway.cli;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * The signals a service manager sends. TERM and INT end the run, so that it stops cleanly and
 * exits 0 (a JVM left to its default handlers exits 143 and systemd marks the unit failed); HUP
 * is handed to a callback instead of killing the gateway, as the JVM's default would.
 */
final class StopSignals {
  private final BlockingQueue<String> stops = new ArrayBlockingQueue<>(4);

  private StopSignals() {}

  static StopSignals install(Consumer<String> onHangup) {
    StopSignals signals = new StopSignals();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), s -> signals.stops.offer(s.getName()));
    }
    Signal.handle(new Signal("HUP"), s -> onHangup.accept(s.getName()));
    return signals;
  }

  /** Blocks until TERM or INT; returns the signal's name. */
  String awaitStop() throws InterruptedException {
    return stops.take();
  }
}
