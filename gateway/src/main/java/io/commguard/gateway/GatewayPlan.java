package io.commguard.gateway;

import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.config.ConfigSections;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.ProfileCatalog;
import io.commguard.gateway.rule.spec.GatewayRules;
import io.commguard.gateway.rule.spec.GatewayRulesParser;
import io.commguard.gateway.rule.spec.RulesSection;
import io.commguard.gateway.rule.spec.RulesSectionParser;
import io.commguard.gateway.registry.DeviceCheck;
import io.commguard.gateway.source.SourceType;
import io.commguard.gateway.validation.Names;
import io.commguard.gateway.validation.InvalidInputException;
import io.commguard.gateway.validation.Problem;
import io.commguard.gateway.validation.ProblemCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the gateway needs to start, checked together before anything opens a file or a port:
 * the config (already validated on its own by {@link ConfigLoader}), every profile (built in and
 * from the profiles directory, see {@link ProfileCatalog}), the sections each source owns, and
 * the references between them ({@link DeviceChecks}: a device's profile exists and has the section
 * its source needs). All problems of all files are reported at once.
 */
public record GatewayPlan(GatewayConfig config, Map<String, DeviceProfile> profiles, GatewayRules rules,
    List<SourceType> sources) {
  private static final String LEGACY_PROFILES_DIR = "device-profiles";

  public static GatewayPlan load(Path configFile) {
    return of(ConfigLoader.read(configFile), configFile.toString());
  }

  public static GatewayPlan of(GatewayConfig config, String configFileName) {
    return of(config, configFileName, SourceTypes.builtIn());
  }

  public static GatewayPlan of(GatewayConfig config, String configFileName, List<SourceType> sources) {
    List<Problem> problems = new ArrayList<>();
    Map<String, DeviceProfile> profiles = Map.of();
    try {
      profiles = ProfileCatalog.load(ProfileSections.loader(sources), profilesDir(config)).profiles();
    } catch (InvalidInputException e) {
      problems.addAll(e.problems());
    }
    ProblemCollector configProblems = new ProblemCollector(configFileName);
    ConfigLoader.validate(config, configProblems);
    checkSections(config, sources, configProblems);
    if (problems.isEmpty()) {
      new DeviceChecks(config, profiles, sources).check(config.devices(), i -> "devices[" + i + "]", configProblems);
    }
    GatewayRules rules = new GatewayRulesParser().parse(config, configProblems);
    problems.addAll(configProblems.problems());
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return new GatewayPlan(config, profiles, rules, List.copyOf(sources));
  }

  /** The checks every device of the registry passes, against this plan's config and profiles. */
  public DeviceCheck deviceCheck() {
    return checks();
  }

  /** The same checks, with the boot package's extras (which devices log in). */
  DeviceChecks checks() {
    return new DeviceChecks(config, profiles, sources);
  }

  /** Every top-level key that is not the core's must belong to a source. */
  private static void checkSections(GatewayConfig config, List<SourceType> sources, ProblemCollector problems) {
    Set<String> known = ConfigSections.ownKeys(GatewayConfig.class);
    sources.forEach(s -> known.addAll(s.configKeys()));
    for (String key : config.sourceSections().keySet()) {
      if (!known.contains(key)) {
        problems.add(key, "unknown key '" + key + "'" + Names.didYouMean(key, known) + "; allowed: " + String.join(", ", known));
      }
    }
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
