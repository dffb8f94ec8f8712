package io.commguard.gateway.source;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * What a running {@link Source} may offer for commissioning: probe the addresses of one of its
 * links (a bus or connection several devices share) and report which answer. The probes take turns
 * with the running polls, which keep their schedule. A source without links does not implement it.
 */
public interface LinkScanning {
  /** The links this source can scan, in config order. */
  List<ScanLink> scanLinks();

  /**
   * Starts a scan; progress is reported after every probe, on a source thread. At most one scan
   * runs per link.
   *
   * @throws IllegalArgumentException for an unknown link or a range outside the link's
   * @throws IllegalStateException when a scan of that link is running already
   */
  Scan scan(String link, int first, int last, Consumer<ScanProgress> progress);

  /**
   * A link as the scan sees it.
   *
   * @param minAddress and {@code maxAddress}: the unit ids its framing allows (1..247 on RTU)
   * @param timeoutMs how long one probe waits for an answer
   */
  record ScanLink(String id, String transport, int minAddress, int maxAddress, int timeoutMs) {}

  /** A running scan. */
  interface Scan {
    /** Completes with the final progress once every address was probed, or the scan was cancelled or failed. */
    CompletionStage<ScanProgress> done();

    /** Stops after the probe on the wire; {@link #done} then completes with {@code cancelled}. */
    void cancel();
  }

  /**
   * How far a scan got.
   *
   * @param next the address probed next (or {@code last + 1} when done)
   * @param answered the addresses that answered so far, in order
   * @param failure why the scan stopped early (the link cannot be reached), or null
   */
  record ScanProgress(int probed, int total, int next, List<Answer> answered, boolean finished, boolean cancelled,
      String failure) {
    public ScanProgress {
      answered = List.copyOf(answered);
    }
  }

  /**
   * An address that answered the probe.
   *
   * @param exceptionCode the Modbus-style exception code it answered with (it is there, but refused
   *     the probe's read), or null for a normal answer
   * @param exception the exception's name, e.g. {@code illegal_data_address}, or null
   * @param device the configured device at that address, or null
   */
  record Answer(int address, Integer exceptionCode, String exception, String device) {}
}
