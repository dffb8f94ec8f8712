package io.commguard.gateway.admin.devices;

import java.time.Duration;
import java.util.List;

/**
 * A profile as a technician picks one: its id, protocol, the event types it can produce and the
 * fields its events carry (measurements and attributes by name).
 */
public record ProfileInfo(String id, String vendor, String model, String protocol, String description,
    List<String> eventTypes, List<String> fields, Duration heartbeat) {}
