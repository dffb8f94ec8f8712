package io.commguard.gateway.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * The MQTT connection to the city platform.
 *
 * @param alertTopic where {@code AlertBatch}es are published; {@code {gatewayId}} is replaced
 * @param ackTopic where the platform publishes {@code Ack}s (platform acknowledgement mode)
 * @param ackMode {@code platform} (default: delivered only when the platform acks) or {@code broker}
 * @param batchMaxAlerts most alerts in one batch
 * @param batchMaxDelayMs longest an alert waits for a batch to fill
 * @param ackTimeoutMs one acknowledgement deadline for every level (older configs); when absent,
 *     the level-1 deadline
 * @param ackTimeoutMsByLevel acknowledgement deadline per level of a batch's most urgent alert,
 *     resolved for levels 1..4: as written, else {@code ackTimeoutMs} if written, else
 *     {@link #DEFAULT_ACK_TIMEOUT_MS}
 * @param hmacKeyFile a file of {@code 32..64} raw key bytes, owner-only: every published message is
 *     signed with HMAC-SHA256 under it (docs/alert-contract.md); absent, messages are not signed
 * @param statusTopic where the gateway's {@code GatewayStatus} heartbeat goes; {@code {gatewayId}}
 *     is replaced
 * @param statusIntervalMs how often a status is sent when nothing changes; 0 sends none
 */
public record UplinkConfig(
    String brokerUrl,
    String clientId,
    String username,
    String passwordEnv,
    String alertTopic,
    String ackTopic,
    AckMode ackMode,
    Integer batchMaxAlerts,
    Integer batchMaxDelayMs,
    Integer ackTimeoutMs,
    Integer inFlightBatches,
    TlsConfig tls,
    Map<Integer, Integer> ackTimeoutMsByLevel,
    String hmacKeyFile,
    String statusTopic,
    Integer statusIntervalMs) {

  /**
   * Level 1: GB 26875 fire practice, confirmation within 10 s or resend. Lower levels are given
   * longer, so that a slow platform is not flooded with resends of routine alerts.
   */
  public static final Map<Integer, Integer> DEFAULT_ACK_TIMEOUT_MS = Map.of(1, 10_000, 2, 30_000, 3, 60_000, 4, 60_000);

  public enum AckMode { PLATFORM, BROKER }

  /** The heartbeat's period when nothing changes. */
  public static final int DEFAULT_STATUS_INTERVAL_MS = 30_000;
  /** The shortest heartbeat period accepted (a change is reported within a second anyway). */
  public static final int MIN_STATUS_INTERVAL_MS = 1_000;

  /** A config without per-level deadlines (as before they existed). */
  public UplinkConfig(String brokerUrl, String clientId, String username, String passwordEnv, String alertTopic,
      String ackTopic, AckMode ackMode, Integer batchMaxAlerts, Integer batchMaxDelayMs, Integer ackTimeoutMs,
      Integer inFlightBatches, TlsConfig tls) {
    this(brokerUrl, clientId, username, passwordEnv, alertTopic, ackTopic, ackMode, batchMaxAlerts, batchMaxDelayMs,
        ackTimeoutMs, inFlightBatches, tls, null);
  }

  /** A config without signing (as before it existed). */
  public UplinkConfig(String brokerUrl, String clientId, String username, String passwordEnv, String alertTopic,
      String ackTopic, AckMode ackMode, Integer batchMaxAlerts, Integer batchMaxDelayMs, Integer ackTimeoutMs,
      Integer inFlightBatches, TlsConfig tls, Map<Integer, Integer> ackTimeoutMsByLevel) {
    this(brokerUrl, clientId, username, passwordEnv, alertTopic, ackTopic, ackMode, batchMaxAlerts, batchMaxDelayMs,
        ackTimeoutMs, inFlightBatches, tls, ackTimeoutMsByLevel, null, null, null);
  }

  public UplinkConfig {
    Map<Integer, Integer> byLevel = new TreeMap<>(ackTimeoutMsByLevel == null ? Map.of() : ackTimeoutMsByLevel);
    for (int level = 1; level <= 4; level++) {
      byLevel.putIfAbsent(level, ackTimeoutMs != null ? ackTimeoutMs : DEFAULT_ACK_TIMEOUT_MS.get(level));
    }
    ackTimeoutMsByLevel = java.util.Collections.unmodifiableMap(byLevel);
    alertTopic = alertTopic == null ? "city/{gatewayId}/alerts" : alertTopic;
    ackTopic = ackTopic == null ? "city/{gatewayId}/acks" : ackTopic;
    statusTopic = statusTopic == null ? "city/{gatewayId}/status" : statusTopic;
    statusIntervalMs = statusIntervalMs == null ? DEFAULT_STATUS_INTERVAL_MS : statusIntervalMs;
    ackMode = ackMode == null ? AckMode.PLATFORM : ackMode;
    batchMaxAlerts = batchMaxAlerts == null ? 200 : batchMaxAlerts;
    batchMaxDelayMs = batchMaxDelayMs == null ? 20 : batchMaxDelayMs;
    ackTimeoutMs = ackTimeoutMs == null ? byLevel.get(1) : ackTimeoutMs;
    inFlightBatches = inFlightBatches == null ? 8 : inFlightBatches;
  }

  /** The acknowledgement deadline of a batch whose most urgent alert has {@code level} (1..4). */
  public int ackTimeoutMs(int level) {
    return ackTimeoutMsByLevel.getOrDefault(Math.max(1, Math.min(4, level)), ackTimeoutMs);
  }

  /** The shortest deadline of any level: how often deadlines must be checked. */
  public int shortestAckTimeoutMs() {
    return ackTimeoutMsByLevel.values().stream().mapToInt(Integer::intValue).min().orElse(ackTimeoutMs);
  }
}
