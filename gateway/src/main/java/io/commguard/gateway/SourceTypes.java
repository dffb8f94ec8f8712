package io.commguard.gateway;

import io.commguard.gateway.source.SourceType;
import io.commguard.gateway.source.httppush.HttpPushSourceType;
import io.commguard.gateway.source.modbus.ModbusSourceType;
import io.commguard.gateway.source.mqtt.MqttSourceType;
import io.commguard.gateway.source.stream.StreamSourceType;
import java.util.List;

/** The protocols the gateway runs with: one line per source. A new protocol registers here. */
public final class SourceTypes {
  private SourceTypes() {}

  public static List<SourceType> builtIn() {
    return List.of(
        new MqttSourceType(),
        new ModbusSourceType(),
        new HttpPushSourceType(),
        new StreamSourceType());
  }
}
