package io.commguard.gateway.outbox;

/**
 * A snapshot of the outbox, taken on the writer thread.
 *
 * @param pendingRows undelivered alerts
 * @param pendingBytes their encoded size
 * @param inFlightRows pending rows handed to the uplink and not yet acknowledged or released
 * @param historyRows delivered alerts kept for audit
 * @param lastSequence the last sequence number given out
 * @param storageFull true while appends of level 1/2 alarms are refused for lack of space
 */
public record OutboxStats(
    long pendingRows, long pendingBytes, int inFlightRows, long historyRows, long lastSequence, boolean storageFull) {}
