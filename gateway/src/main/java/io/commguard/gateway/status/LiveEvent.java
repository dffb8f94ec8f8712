package io.commguard.gateway.status;

import java.time.Instant;
import java.util.Map;

/**
 * One decoded event of a device as the live feed shows it.
 *
 * @param fields measurements (with their units) and attributes, by name
 * @param test true when the device is commissioning: its alerts are flagged as tests
 */
public record LiveEvent(String deviceId, String type, Instant time, String description, Map<String, String> fields,
    Outcome outcome, boolean test) {}
