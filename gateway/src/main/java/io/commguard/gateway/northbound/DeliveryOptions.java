package io.commguard.gateway.northbound;

import java.util.Map;

/**
 * How a {@link Delivery} batches, paces and judges acknowledgements; a transport's config section
 * supplies them (for MQTT, the {@code uplink} section).
 *
 * @param batchMaxAlerts most alerts in one batch
 * @param batchMaxDelayMs longest a committed alert below level 1 waits for its batch to fill while
 *     earlier batches are unacknowledged (on an idle link it is sent at once)
 * @param inFlightBatches unacknowledged batches at a time (plus one slot kept for level 1)
 * @param ackTimeoutMsByLevel acknowledgement deadline per level 1..4 of a batch's most urgent alert
 * @param connectTimeoutMs a connect not ready within this is given up and retried
 * @param platformAcks true: delivered when the platform's {@code Ack} names the alert; false: when
 *     the transport's publish completes (e.g. the broker's PUBACK)
 */
public record DeliveryOptions(int batchMaxAlerts, int batchMaxDelayMs, int inFlightBatches,
    Map<Integer, Integer> ackTimeoutMsByLevel, int connectTimeoutMs, boolean platformAcks) {

  public DeliveryOptions {
    ackTimeoutMsByLevel = Map.copyOf(ackTimeoutMsByLevel);
    for (int level = 1; level <= 4; level++) {
      if (!ackTimeoutMsByLevel.containsKey(level)) {
        throw new IllegalArgumentException("ackTimeoutMsByLevel has no deadline for level " + level);
      }
    }
  }

  /** The deadline of a batch whose most urgent alert has {@code level}. */
  public int ackTimeoutMs(int level) {
    return ackTimeoutMsByLevel.get(Math.max(1, Math.min(4, level)));
  }

  /** The shortest deadline: how often deadlines must be checked. */
  public int shortestAckTimeoutMs() {
    return ackTimeoutMsByLevel.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
  }
}
