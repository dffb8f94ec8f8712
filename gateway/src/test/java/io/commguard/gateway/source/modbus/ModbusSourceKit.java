package io.commguard.gateway.source.modbus;

import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.registry.Origin;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.source.ConfiguredDevice;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.ArrayList;
import io.commguard.gateway.pipeline.EventSink;
import io.commguard.gateway.source.Ingest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/** Starts a Modbus source on given links and devices, outside a gateway. */
final class ModbusSourceKit {
  private ModbusSourceKit() {}

  static ModbusSource start(List<ModbusLinkConfig> links, List<ModbusDevice> devices, EventSink sink, Counters counters) {
    ModbusSource source = new ModbusSource(links, Map.of(), ingest(sink, counters), counters);
    source.startDevices(devices);
    return source;
  }

  /** The source a gateway would start for {@code config}, after checking it as the gateway does. */
  static ModbusSource fromConfig(GatewayConfig config, Map<String, DeviceProfile> profiles, EventSink sink, Counters counters) {
    ProblemCollector problems = new ProblemCollector("gateway.yaml");
    ModbusSourceType type = new ModbusSourceType();
    List<ConfiguredDevice> devices = new ArrayList<>();
    for (int i = 0; i < config.devices().size(); i++) {
      devices.add(new ConfiguredDevice("devices[" + i + "]", config.devices().get(i)));
    }
    type.validate(config, devices, problems);
    problems.throwIfAny();
    ModbusSource source = new ModbusSource(ModbusSourceType.links(config, problems), profiles, ingest(sink, counters), counters);
    source.start(config.devices().stream().map(d -> new RegisteredDevice(d, type.name(), Origin.CONFIG)).toList());
    return source;
  }

  private static Ingest ingest(EventSink sink, Counters counters) {
    return new Ingest(sink, counters, Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ingest-retry");
      t.setDaemon(true);
      return t;
    }));
  }
}
