package io.commguard.gateway.source.modbus;

import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.source.modbus.map.ModbusProfile;
import java.util.Objects;

/**
 * A configured Modbus device ready to poll: who it is, where it sits (link and unit id) and its
 * register map.
 */
public record ModbusDevice(DeviceRef ref, String link, int unitId, ModbusProfile profile) {
  public ModbusDevice {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(profile, "profile");
  }

  public String id() {
    return ref.deviceId();
  }
}
