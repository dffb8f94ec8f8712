package io.commguard.gateway.config;

/**
 * The MQTT connection to the city platform.
 *
 * @param alertTopic where {@code AlertBatch}es are published; {@code {gatewayId}} is replaced
 * @param ackTopic where the platform publishes {@code Ack}s (platform acknowledgement mode)
 * @param ackMode {@code platform} (default: delivered only when the platform acks) or {@code broker}
 * @param batchMaxAlerts most alerts in one batch
 * @param batchMaxDelayMs longest an alert waits for a batch to fill
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
    TlsConfig tls) {

  public enum AckMode { PLATFORM, BROKER }

  public UplinkConfig {
    alertTopic = alertTopic == null ? "city/{gatewayId}/alerts" : alertTopic;
    ackTopic = ackTopic == null ? "city/{gatewayId}/acks" : ackTopic;
    ackMode = ackMode == null ? AckMode.PLATFORM : ackMode;
    batchMaxAlerts = batchMaxAlerts == null ? 200 : batchMaxAlerts;
    batchMaxDelayMs = batchMaxDelayMs == null ? 20 : batchMaxDelayMs;
    ackTimeoutMs = ackTimeoutMs == null ? 10_000 : ackTimeoutMs;
    inFlightBatches = inFlightBatches == null ? 8 : inFlightBatches;
  }
}
