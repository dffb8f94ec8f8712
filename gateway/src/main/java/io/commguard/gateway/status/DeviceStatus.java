package io.commguard.gateway.status;

import java.time.Instant;

/**
 * A device's status at one moment; missing values are null.
 *
 * @param lastSeen last message, poll answer or accepted login
 * @param peer the address it connected from (MQTT) or the link and unit that answered (Modbus)
 * @param firmware the value of its events' {@code firmware} attribute, where its profile reports one
 * @param rejecting true when its latest contact was refused (bad payload, topic, credentials)
 */
public record DeviceStatus(Connection connection, Instant lastSeen, String lastEventType, Instant lastEventTime,
    String lastRejectionReason, Instant lastRejectionTime, String peer, String firmware, long received, long rejected,
    long held, long dropped, boolean rejecting, boolean commissioning) {}
