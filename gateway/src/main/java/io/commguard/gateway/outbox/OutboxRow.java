package io.commguard.gateway.outbox;

/**
 * One undelivered alert as the uplink sends it.
 *
 * @param sequence per-gateway monotonic sequence, also the row key
 * @param alertId the episode id (idempotency key together with the sequence)
 * @param level the alert's own level 1..4
 * @param priority send priority: the alert's level, raised to the most severe later alert of the
 *     same device so that one device's alerts never overtake each other
 * @param payload the encoded {@code commguard.alert.v1.Alert}
 */
public record OutboxRow(long sequence, String alertId, String deviceId, int level, int priority, byte[] payload) {}
