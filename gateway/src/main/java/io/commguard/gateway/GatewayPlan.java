package io.commguard.gateway;

import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.ProfileCatalog;
import io.commguard.gateway.profile.ProfileLoader;
import io.commguard.gateway.profile.codec.DecodeSection;
import io.commguard.gateway.rule.spec.GatewayRules;
import io.commguard.gateway.rule.spec.GatewayRulesParser;
import io.commguard.gateway.rule.spec.RulesSection;
import io.commguard.gateway.rule.spec.RulesSectionParser;
import io.commguard.gateway.source.modbus.map.ModbusProfile;
import io.commguard.gateway.validation.InvalidInputException;
import io.commguard.gateway.validation.Problem;
import io.commguard.gateway.validation.ProblemCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the gateway needs to start, checked together before anything opens a file or a port:
 * the config (already validated on its own by {@link ConfigLoader}), every profile (built in and
 * from the profiles directory, see {@link ProfileCatalog}), and the references between them (a
 * device's profile exists and has the section its protocol needs). All problems of all files are
 * reported at once.
 */
public record GatewayPlan(GatewayConfig config, Map<String, DeviceProfile> profiles, GatewayRules rules) {
  private static final String LEGACY_PROFILES_DIR = "device-profiles";

  public static GatewayPlan load(Path configFile) {
    return of(ConfigLoader.load(configFile), configFile.toString());
  }

  public static GatewayPlan of(GatewayConfig config, String configFileName) {
    List<Problem> problems = new ArrayList<>();
    Map<String, DeviceProfile> profiles = Map.of();
    try {
      profiles = ProfileCatalog.load(new ProfileLoader(ProfileSections.all()), profilesDir(config)).profiles();
    } catch (InvalidInputException e) {
      problems.addAll(e.problems());
    }
    ProblemCollector configProblems = new ProblemCollector(configFileName);
    checkDeviceProfiles(config, profiles, configProblems, problems.isEmpty());
    GatewayRules rules = new GatewayRulesParser().parse(config, configProblems);
    problems.addAll(configProblems.problems());
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return new GatewayPlan(config, profiles, rules);
  }

  /**
   * The configured profiles directory; when none is configured, {@code device-profiles} in the
   * working directory if there is one (the default before profiles were built in), else none.
   */
  static Path profilesDir(GatewayConfig config) {
    if (config.profilesDir() != null) {
      return Path.of(config.profilesDir());
    }
    Path legacyDefault = Path.of(LEGACY_PROFILES_DIR);
    return Files.isDirectory(legacyDefault) ? legacyDefault : null;
  }

  private static void checkDeviceProfiles(GatewayConfig config, Map<String, DeviceProfile> profiles,
      ProblemCollector problems, boolean profilesLoaded) {
    if (!profilesLoaded) {
      return;
    }
    for (int i = 0; i < config.devices().size(); i++) {
      DeviceConfig d = config.devices().get(i);
      DeviceProfile p = profiles.get(d.profile());
      String at = "devices[" + i + "]";
      if (p == null) {
        problems.add(at + ".profile", "no profile with id '" + d.profile() + "' among the built-in profiles"
            + (config.profilesDir() == null ? "" : " or in " + config.profilesDir()));
      } else if (d.modbus() != null && p.section("modbus", ModbusProfile.class) == null) {
        problems.add(at + ".modbus", "profile '" + d.profile() + "' has no modbus section; it cannot be polled");
      } else if (d.modbus() == null && p.section(DecodeSection.KEY, DecodeSection.class) == null) {
        problems.add(at + ".profile", "profile '" + d.profile() + "' has no decode section; an MQTT device needs one");
      }
    }
  }

  /** The {@code rules} section of every profile that has one, by profile id. */
  public Map<String, RulesSection> rulesByProfile() {
    Map<String, RulesSection> out = new java.util.HashMap<>();
    profiles.forEach((id, p) -> {
      RulesSection s = p.section(RulesSectionParser.KEY, RulesSection.class);
      if (s != null) {
        out.put(id, s);
      }
    });
    return out;
  }
}
