package io.commguard.gateway.rule.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.validation.ProblemCollector;
import io.commguard.gateway.validation.YamlReader;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates the rule parts of the gateway config ({@code rules} at the top level and {@code
 * devices[i].rules}) and reports problems with their exact paths. Runs at boot.
 */
public final class GatewayRulesParser {
  private static final Set<String> TOP_KEYS = Set.of("sites", "households");
  private static final Set<String> SITE_KEYS = Set.of("scope", "rules");
  private static final Set<String> HOUSEHOLD_KEYS =
      Set.of("id", "devices", "from", "to", "noActivityFor", "activityKinds", "timeZone", "location");

  private final RulesSectionParser sections = new RulesSectionParser();

  /** Parses the config's rule settings; returns null when there were problems (see {@code problems}). */
  public GatewayRules parse(GatewayConfig config, ProblemCollector problems) {
    int before = problems.problems().size();
    YamlReader r = new YamlReader(problems);
    Map<String, RulesSection> devices = new HashMap<>();
    Set<String> deviceIds = new HashSet<>();
    for (int i = 0; i < config.devices().size(); i++) {
      DeviceConfig d = config.devices().get(i);
      deviceIds.add(d.id());
      if (d.rules() != null && !d.rules().isNull()) {
        RulesSection s = sections.parse(d.rules(), "devices[" + i + "].rules", problems);
        if (s != null) {
          devices.put(d.id(), s);
        }
      }
    }
    List<GatewayRules.SiteOverride> sites = List.of();
    List<HouseholdSpec> households = List.of();
    JsonNode top = config.rules();
    if (top != null && !top.isNull() && r.object(top, "rules", TOP_KEYS)) {
      List<GatewayRules.SiteOverride> s = r.list(top, "sites", "rules", (n, p) -> site(r, n, p));
      sites = s == null ? List.of() : s;
      List<HouseholdSpec> h = r.list(top, "households", "rules", (n, p) -> household(r, n, p, deviceIds));
      households = h == null ? List.of() : h;
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < households.size(); i++) {
        if (!ids.add(households.get(i).id())) {
          r.problem("rules.households[" + i + "].id", "duplicate household id " + households.get(i).id());
        }
      }
    }
    return problems.problems().size() > before ? null : new GatewayRules(sites, devices, households);
  }

  private GatewayRules.SiteOverride site(YamlReader r, JsonNode n, String p) {
    if (!r.object(n, p, SITE_KEYS)) {
      return null;
    }
    String scope = r.string(n, "scope", p);
    SitePath path = null;
    if (scope == null && !n.has("scope")) {
      r.problem(p + ".scope", "required, e.g. 310115001/B3");
    } else if (scope != null) {
      try {
        path = SitePath.parse(scope);
      } catch (IllegalArgumentException e) {
        r.problem(p + ".scope", e.getMessage() + ", was " + scope);
      }
    }
    RulesSection rules = sections.parse(n.get("rules"), p + ".rules", r.problems());
    return path == null || rules == null ? null : new GatewayRules.SiteOverride(path, rules);
  }

  private HouseholdSpec household(YamlReader r, JsonNode n, String p, Set<String> deviceIds) {
    if (!r.object(n, p, HOUSEHOLD_KEYS)) {
      return null;
    }
    String id = r.string(n, "id", p);
    List<String> devices = r.list(n, "devices", p, (dn, dp) -> {
      if (!dn.isTextual() || !deviceIds.contains(dn.asText())) {
        r.problem(dp, "must name a configured device id, was " + dn);
        return null;
      }
      return dn.asText();
    });
    LocalTime from = r.timeOfDay(n, "from", p);
    LocalTime to = r.timeOfDay(n, "to", p);
    Duration quiet = r.duration(n, "noActivityFor", p, false);
    List<EventKind> kinds = r.list(n, "activityKinds", p, (kn, kp) -> {
      try {
        return EventKind.valueOf(kn.asText());
      } catch (IllegalArgumentException e) {
        r.problem(kp, "unknown event kind " + kn.asText() + "; allowed: ALARM, TELEMETRY, STATUS, ACCESS");
        return null;
      }
    });
    ZoneId zone = r.zone(n, "timeZone", p);
    String location = r.string(n, "location", p);
    for (String k : List.of("id", "devices", "noActivityFor")) {
      if (!n.has(k)) {
        r.problem(p + "." + k, "required");
      }
    }
    if (devices != null && devices.isEmpty()) {
      r.problem(p + ".devices", "needs at least one device");
    }
    if (id == null || devices == null || devices.isEmpty() || quiet == null) {
      return null;
    }
    return new HouseholdSpec(id, devices,
        from == null ? LocalTime.MIDNIGHT : from,
        to == null ? LocalTime.MIDNIGHT : to,
        quiet,
        kinds == null ? Set.of(EventKind.ACCESS, EventKind.ALARM) : Set.copyOf(kinds),
        zone,
        location);
  }
}
