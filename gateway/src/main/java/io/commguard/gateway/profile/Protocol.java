package io.commguard.gateway.profile;

/** How devices of a profile reach the gateway. */
public enum Protocol {
  /** Devices publish payloads over MQTT; the profile's {@code decode} section maps them. */
  MQTT,
  /** The gateway polls devices over Modbus TCP/RTU; the profile's {@code modbus} section maps registers. */
  MODBUS
}
