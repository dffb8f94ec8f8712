package io.commguard.gateway.source;

import io.commguard.gateway.config.DeviceConfig;

/** A device entry and where it sits, e.g. {@code devices[3]}, for problem paths. */
public record ConfiguredDevice(String path, DeviceConfig config) {}
