package io.commguard.gateway.source.stream;

import io.commguard.gateway.validation.ProblemCollector;

/**
 * The top-level {@code eventStreams} section: how every device stream is held. All keys optional.
 *
 * @param heartbeatSeconds keep-alive interval asked of Dahua devices ({@code heartbeat=}) and
 *     expected of every stream; default 5
 * @param silentAfterHeartbeats a stream with no byte for this many heartbeat intervals is dropped
 *     and reconnected; default 6 (30 s)
 * @param connectTimeoutMs TCP connect timeout; default 10000
 * @param minBackoffMs first reconnect delay after a failure; doubles per failure; default 1000
 * @param maxBackoffMs cap of the reconnect delay (also the wait after refused credentials, so a
 *     device does not lock the account); default 60000
 * @param offlineAfterFailures consecutive failed connections (or silent streams) after which the
 *     device is reported DEVICE_OFFLINE; default 3
 * @param maxPartBytes largest event part kept (a larger one is skipped and counted); default 262144
 * @param maxHeaderBytes largest header block of a part; default 8192
 * @param maxInFlight event parts of one device waiting for the pipeline before its stream is paused
 *     (TCP back-pressure to that device only); default 32
 * @param pictureWaitMs with {@code evidence.pictures: keep}, how long an event part waits at most
 *     for the picture parts that follow it before it goes on without them; default 1000
 */
public record StreamsConfig(Integer heartbeatSeconds, Integer silentAfterHeartbeats, Integer connectTimeoutMs,
    Integer minBackoffMs, Integer maxBackoffMs, Integer offlineAfterFailures, Integer maxPartBytes,
    Integer maxHeaderBytes, Integer maxInFlight, Integer pictureWaitMs) {

  public static final StreamsConfig DEFAULTS = new StreamsConfig(null, null, null, null, null, null, null, null, null, null);

  public StreamsConfig {
    heartbeatSeconds = heartbeatSeconds == null ? 5 : heartbeatSeconds;
    silentAfterHeartbeats = silentAfterHeartbeats == null ? 6 : silentAfterHeartbeats;
    connectTimeoutMs = connectTimeoutMs == null ? 10_000 : connectTimeoutMs;
    minBackoffMs = minBackoffMs == null ? 1_000 : minBackoffMs;
    maxBackoffMs = maxBackoffMs == null ? 60_000 : maxBackoffMs;
    offlineAfterFailures = offlineAfterFailures == null ? 3 : offlineAfterFailures;
    maxPartBytes = maxPartBytes == null ? 256 * 1024 : maxPartBytes;
    maxHeaderBytes = maxHeaderBytes == null ? 8192 : maxHeaderBytes;
    maxInFlight = maxInFlight == null ? 32 : maxInFlight;
    pictureWaitMs = pictureWaitMs == null ? 1000 : pictureWaitMs;
  }

  /** How long a stream may stay silent. */
  long silenceMs() {
    return heartbeatSeconds * 1000L * silentAfterHeartbeats;
  }

  void validate(String path, ProblemCollector problems) {
    range(path + ".heartbeatSeconds", heartbeatSeconds, 1, 300, problems);
    range(path + ".silentAfterHeartbeats", silentAfterHeartbeats, 2, 100, problems);
    range(path + ".connectTimeoutMs", connectTimeoutMs, 100, 120_000, problems);
    range(path + ".minBackoffMs", minBackoffMs, 10, 600_000, problems);
    range(path + ".maxBackoffMs", maxBackoffMs, minBackoffMs, 3_600_000, problems);
    range(path + ".offlineAfterFailures", offlineAfterFailures, 1, 1000, problems);
    range(path + ".maxPartBytes", maxPartBytes, 1024, 16 << 20, problems);
    range(path + ".maxHeaderBytes", maxHeaderBytes, 256, 65_536, problems);
    range(path + ".maxInFlight", maxInFlight, 1, 10_000, problems);
    range(path + ".pictureWaitMs", pictureWaitMs, 1, 1000, problems);
  }

  private static void range(String path, int value, int min, int max, ProblemCollector problems) {
    if (value < min || value > max) {
      problems.add(path, "must be " + min + ".." + max + ", was " + value);
    }
  }
}
