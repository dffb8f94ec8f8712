package io.commguard.gateway;

import io.commguard.gateway.config.ConfigSections;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.registry.DeviceCheck;
import io.commguard.gateway.source.ConfiguredDevice;
import io.commguard.gateway.source.SourceType;
import io.commguard.gateway.validation.Names;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Which source each device uses and whether it may: the device's binding keys name a source (at
 * most one), else its profile's protocol does; the profile must exist and have the section that
 * source needs; then each source checks its own devices together. The same checks run for the
 * config file and for every change to the device registry.
 */
final class DeviceChecks implements DeviceCheck {
  private final GatewayConfig config;
  private final Map<String, DeviceProfile> profiles;
  private final List<SourceType> sources;

  DeviceChecks(GatewayConfig config, Map<String, DeviceProfile> profiles, List<SourceType> sources) {
    this.config = config;
    this.profiles = profiles;
    this.sources = sources;
  }

  @Override
  public List<String> check(List<DeviceConfig> devices, IntFunction<String> pathOf, ProblemCollector problems) {
    List<String> names = new ArrayList<>();
    Map<SourceType, List<ConfiguredDevice>> bySource = new LinkedHashMap<>();
    sources.forEach(s -> bySource.put(s, new ArrayList<>()));
    for (int i = 0; i < devices.size(); i++) {
      DeviceConfig d = devices.get(i);
      String at = pathOf.apply(i);
      SourceType source = sourceOf(d, at, problems);
      names.add(source == null ? null : source.name());
      if (source != null) {
        bySource.get(source).add(new ConfiguredDevice(at, d));
      }
    }
    bySource.forEach((source, mine) -> source.validate(config, mine, problems));
    return names;
  }

  /** True when {@code d}'s source makes it log in with a password (provisioning generates one). */
  boolean logsIn(DeviceConfig d) {
    SourceType source = sourceOf(d, "device", new ProblemCollector("device"));
    return source != null && source.devicesLogIn(config);
  }

  private SourceType sourceOf(DeviceConfig d, String at, ProblemCollector problems) {
    SourceType bound = null;
    for (String key : d.bindings().keySet()) {
      SourceType owner = sources.stream().filter(s -> s.deviceKeys().contains(key)).findFirst().orElse(null);
      if (owner == null) {
        Set<String> known = ConfigSections.ownKeys(DeviceConfig.class);
        sources.forEach(s -> known.addAll(s.deviceKeys()));
        problems.add(at + "." + key, "unknown key '" + key + "'" + Names.didYouMean(key, known)
            + "; allowed: " + String.join(", ", known));
      } else if (bound != null && bound != owner) {
        problems.add(at + "." + key, "a device reaches the gateway one way: '" + key + "' is for " + owner.name()
            + " devices, and this entry has keys for " + bound.name());
      } else {
        bound = owner;
      }
    }
    DeviceProfile profile = d.profile() == null ? null : profiles.get(d.profile());
    if (profile == null) {
      if (d.profile() != null && !d.profile().isBlank()) {
        problems.add(at + ".profile", "no profile with id '" + d.profile() + "' among the built-in profiles"
            + (config.profilesDir() == null ? "" : " or in " + config.profilesDir())
            + Names.didYouMean(d.profile(), profiles.keySet()));
      }
      return null;
    }
    SourceType source = bound != null ? bound
        : sources.stream().filter(s -> s.name().equals(profile.protocol())).findFirst().orElse(null);
    if (source == null) {
      problems.add(at + ".profile", "profile '" + d.profile() + "' is for " + profile.protocol()
          + " devices, and this gateway has no " + profile.protocol() + " source");
      return null;
    }
    if (profile.section(source.profileSection(), Object.class) == null) {
      problems.add(at + ".profile", "profile '" + d.profile() + "' has no " + source.profileSection() + " section; a "
          + source.name() + " device needs one");
      return null;
    }
    return source;
  }
}
