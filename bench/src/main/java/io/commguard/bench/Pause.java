package io.commguard.bench;

/** Pacing of the harness's control loops (measurement windows, polling a counter). */
final class Pause {
  private Pause() {}

  static void millis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
