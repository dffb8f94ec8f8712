package io.commguard.gateway.source.modbus;

import io.commguard.gateway.validation.ProblemCollector;

/**
 * Where a polled Modbus device sits: the link (TCP connection or RS-485 bus) and its unit id
 * (slave address) on that link.
 *
 * @param link id of a {@link ModbusLinkConfig}
 * @param unitId 1..247 on a serial bus; 0..255 over Modbus TCP (gateways often use 1 or 255)
 */
public record DeviceModbusConfig(String link, Integer unitId) {
  public DeviceModbusConfig {
    unitId = unitId == null ? 1 : unitId;
  }

  /** Checks this device's Modbus part; {@code path} is e.g. {@code devices[3].modbus}. */
  public void validate(String path, ModbusLinkConfig linkConfig, ProblemCollector problems) {
    if (link == null || link.isBlank()) {
      problems.add(path + ".link", "required: the id of one of modbusLinks");
      return;
    }
    if (linkConfig == null) {
      problems.add(path + ".link", "no Modbus link with id '" + link + "' in modbusLinks");
      return;
    }
    boolean serialFraming = linkConfig.transport() != ModbusLinkConfig.Transport.TCP;
    int max = serialFraming ? 247 : 255;
    int min = serialFraming ? 1 : 0;
    if (unitId < min || unitId > max) {
      problems.add(path + ".unitId", "must be " + min + ".." + max + " on a " + linkConfig.transport()
          + " link (0 is broadcast on RTU), was " + unitId);
    }
  }
}
