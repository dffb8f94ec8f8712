package io.commguard.gateway.source.modbus;

import io.commguard.gateway.config.ConfigSections;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.profile.ProfileSectionParser;
import io.commguard.gateway.source.ConfiguredDevice;
import io.commguard.gateway.source.Source;
import io.commguard.gateway.source.SourceContext;
import io.commguard.gateway.source.SourceType;
import io.commguard.gateway.source.modbus.map.ModbusProfileParser;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Gas detectors and other devices the gateway polls over Modbus TCP, RTU over TCP or RS-485. */
public final class ModbusSourceType implements SourceType {
  static final String LINKS_KEY = "modbusLinks";
  static final String DEVICE_KEY = "modbus";

  @Override
  public String name() {
    return "modbus";
  }

  @Override
  public Set<String> configKeys() {
    return Set.of(LINKS_KEY);
  }

  @Override
  public Set<String> deviceKeys() {
    return Set.of(DEVICE_KEY);
  }

  @Override
  public String profileSection() {
    return ModbusProfileParser.KEY;
  }

  @Override
  public List<ProfileSectionParser<?>> profileParsers() {
    return List.of(new ModbusProfileParser());
  }

  /** The {@code modbusLinks} section; empty when absent, null when it has a problem. */
  static List<ModbusLinkConfig> links(GatewayConfig config, ProblemCollector problems) {
    return ConfigSections.readList(config.section(LINKS_KEY), ModbusLinkConfig.class, LINKS_KEY, problems);
  }

  /** A device's {@code modbus} entry; null when absent (reported) or with a problem. */
  static DeviceModbusConfig placement(DeviceConfig device, String path, ProblemCollector problems) {
    if (device.binding(DEVICE_KEY) == null) {
      problems.add(path + "." + DEVICE_KEY, "required for a polled device: the link and unit id, e.g. {link: bus1, unitId: 3}");
      return null;
    }
    return ConfigSections.read(device.binding(DEVICE_KEY), DeviceModbusConfig.class, path + "." + DEVICE_KEY, problems);
  }

  @Override
  public void validate(GatewayConfig config, List<ConfiguredDevice> devices, ProblemCollector problems) {
    List<ModbusLinkConfig> links = links(config, problems);
    List<ModbusLinkConfig.Placed> placed = new ArrayList<>();
    for (ConfiguredDevice d : devices) {
      DeviceModbusConfig m = placement(d.config(), d.path(), problems);
      if (m != null) {
        placed.add(new ModbusLinkConfig.Placed(d.path() + "." + DEVICE_KEY, m));
      }
    }
    if (links != null) {
      ModbusLinkConfig.validateAll(links, placed, problems);
    }
  }

  @Override
  public Source start(SourceContext context) {
    ModbusSource source = new ModbusSource(links(context.config(), new ProblemCollector("config")), context.profiles(),
        context.ingest(), context.counters());
    source.start(context.devices());
    return source;
  }
}
