package io.commguard.gateway;

import io.commguard.gateway.profile.HeartbeatSectionParser;
import io.commguard.gateway.profile.ProfileLoader;
import io.commguard.gateway.profile.ProfileSectionParser;
import io.commguard.gateway.profile.codec.DecodeSectionParser;
import io.commguard.gateway.rule.spec.RulesSectionParser;
import io.commguard.gateway.source.SourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The profile section parsers the gateway runs with: the core ones here, one line per section key,
 * plus those each source brings ({@link SourceType#profileParsers}).
 */
public final class ProfileSections {
  private ProfileSections() {}

  /** Fresh parsers for every known section ({@code decode}, {@code rules}, {@code heartbeat}, the sources' own). */
  public static List<ProfileSectionParser<?>> all(List<SourceType> sources) {
    List<ProfileSectionParser<?>> parsers = new ArrayList<>(List.of(
        new DecodeSectionParser(),
        new RulesSectionParser(),
        new HeartbeatSectionParser()));
    sources.forEach(s -> parsers.addAll(s.profileParsers()));
    return parsers;
  }

  /** A profile loader that knows the built-in sources. */
  public static ProfileLoader loader() {
    return loader(SourceTypes.builtIn());
  }

  /** A profile loader that knows {@code sources}: their protocol names and the sections they need. */
  public static ProfileLoader loader(List<SourceType> sources) {
    Map<String, String> sectionByProtocol = new LinkedHashMap<>();
    sources.forEach(s -> sectionByProtocol.put(s.name(), s.profileSection()));
    return new ProfileLoader(all(sources), sectionByProtocol);
  }
}
