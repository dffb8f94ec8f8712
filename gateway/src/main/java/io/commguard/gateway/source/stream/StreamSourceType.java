package io.commguard.gateway.source.stream;

import io.commguard.gateway.config.ConfigSections;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.profile.codec.DecodeSection;
import io.commguard.gateway.source.ConfiguredDevice;
import io.commguard.gateway.source.Source;
import io.commguard.gateway.source.SourceContext;
import io.commguard.gateway.source.SourceType;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.List;
import java.util.Set;

/**
 * Cameras and controllers whose event stream the gateway holds open: Hikvision ISAPI alertStream
 * and Dahua eventManager attach. Each part of the stream is decoded by the device profile's {@code
 * decode} section, as if the device had published it.
 */
public final class StreamSourceType implements SourceType {
  static final String SECTION_KEY = "eventStreams";
  static final String DEVICE_KEY = "stream";

  @Override
  public String name() {
    return "stream";
  }

  @Override
  public Set<String> configKeys() {
    return Set.of(SECTION_KEY);
  }

  @Override
  public Set<String> deviceKeys() {
    return Set.of(DEVICE_KEY);
  }

  @Override
  public String profileSection() {
    return DecodeSection.KEY;
  }

  /** The {@code eventStreams} section, or the defaults; null when it has a problem. */
  static StreamsConfig section(GatewayConfig config, ProblemCollector problems) {
    return config.section(SECTION_KEY) == null ? StreamsConfig.DEFAULTS
        : ConfigSections.read(config.section(SECTION_KEY), StreamsConfig.class, SECTION_KEY, problems);
  }

  /** A device's {@code stream} entry; null when it has a problem. */
  static StreamDeviceConfig binding(DeviceConfig device, String path, ProblemCollector problems) {
    return ConfigSections.read(device.binding(DEVICE_KEY), StreamDeviceConfig.class, path + "." + DEVICE_KEY, problems);
  }

  @Override
  public void validate(GatewayConfig config, List<ConfiguredDevice> devices, ProblemCollector problems) {
    StreamsConfig section = section(config, problems);
    if (section != null) {
      section.validate(SECTION_KEY, problems);
    }
    for (ConfiguredDevice d : devices) {
      StreamDeviceConfig stream = binding(d.config(), d.path(), problems);
      if (stream != null) {
        stream.validate(d.path() + "." + DEVICE_KEY, problems);
      }
    }
  }

  @Override
  public Source start(SourceContext context) {
    StreamSource source = new StreamSource(section(context.config(), new ProblemCollector("config")), context);
    source.start(context.devices());
    return source;
  }
}
