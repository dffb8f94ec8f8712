package io.commguard.gateway.registry;

import io.commguard.gateway.config.DeviceConfig;

/**
 * One device as the registry holds it.
 *
 * @param source name of the source the device reaches the gateway through (e.g. {@code mqtt})
 */
public record RegisteredDevice(DeviceConfig config, String source, Origin origin) {
  public String id() {
    return config.id();
  }

  /** True when the source should accept the device (enabled or commissioning). */
  public boolean active() {
    return config.state().active();
  }
}
