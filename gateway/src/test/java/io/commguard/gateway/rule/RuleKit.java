package io.commguard.gateway.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Evidence;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.pipeline.AlertStore;
import io.commguard.gateway.pipeline.Decision;
import io.commguard.gateway.pipeline.StateChanges;
import io.commguard.gateway.rule.spec.GatewayRules;
import io.commguard.gateway.rule.spec.RulesSection;
import io.commguard.gateway.rule.spec.RulesSectionParser;
import io.commguard.gateway.testsupport.MutableClock;
import io.commguard.gateway.validation.ProblemCollector;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds engines on a hand-moved clock and device events for rule tests. */
final class RuleKit {
  static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");
  static final Site SITE = new Site("310115001", "G7", "B3", "2", "5", "");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  final MutableClock clock = new MutableClock(T0);
  final Counters counters = new Counters();
  final List<AlertDraft> emitted = new ArrayList<>();
  /** Where {@link #send} and {@link #tick} commit each call's decision, as the pipeline does; null: nowhere. */
  AlertStore store;
  private final Map<String, Site> sites = new java.util.HashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  RuleEngine engine;

  /** An engine with {@code profileYaml} as the rules of profile {@code p1} of every device. */
  static RuleKit withRules(String profileYaml, String... deviceIds) {
    RuleKit kit = new RuleKit();
    kit.engine = kit.engine(profileYaml, GatewayRules.NONE, RuleStateStore.IN_MEMORY, deviceIds);
    return kit;
  }

  RuleEngine engine(String profileYaml, GatewayRules gatewayRules, RuleStateStore store, String... deviceIds) {
    List<DeviceConfig> devices = new ArrayList<>();
    for (String id : deviceIds) {
      devices.add(device(id, SITE));
    }
    return engine(profileYaml, gatewayRules, store, devices);
  }

  RuleEngine engine(String profileYaml, GatewayRules gatewayRules, RuleStateStore store, List<DeviceConfig> devices) {
    devices.forEach(d -> sites.put(d.id(), d.site()));
    return new RuleEngine("gw-test", devices, gatewayRules, Map.of("p1", rules(profileYaml)), store, clock, counters,
        () -> "a" + ids.incrementAndGet());
  }

  static DeviceConfig device(String id, Site site) {
    return new DeviceConfig(id, "p1", null, site, "loc-" + id);
  }

  static RulesSection rules(String yaml) {
    ProblemCollector problems = new ProblemCollector("test-profile.yaml");
    RulesSection s = new RulesSectionParser().parse(node(yaml), problems);
    problems.throwIfAny();
    return s;
  }

  static JsonNode node(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The device as a source would describe it, with its configured site. */
  DeviceRef ref(String deviceId) {
    return new DeviceRef(deviceId, "p1", "model-x", sites.getOrDefault(deviceId, SITE), "loc-" + deviceId);
  }

  DeviceEvent alarm(String device, CanonicalType type, Phase phase, int level, String episodeKey, String... evidence) {
    List<Evidence> ev = new ArrayList<>();
    for (String e : evidence) {
      ev.add(new Evidence("image", e));
    }
    return new DeviceEvent(ref(device), EventKind.ALARM, type, level, phase, "native-" + type, clock.instant(),
        clock.instant(), episodeKey, List.of(), ev, Map.of(), "");
  }

  DeviceEvent reading(String device, String name, double value) {
    return new DeviceEvent(ref(device), EventKind.TELEMETRY, CanonicalType.READING, 4, Phase.ACTIVE, "reading",
        clock.instant(), clock.instant(), "", List.of(new Measurement(name, value, "%LEL")), List.of(), Map.of(), "");
  }

  DeviceEvent access(String device, CanonicalType type) {
    return new DeviceEvent(ref(device), EventKind.ACCESS, type, 4, Phase.PULSE, "5/0x01", clock.instant(),
        clock.instant(), "door-1", List.of(), List.of(), Map.of(), "");
  }

  /** Evaluates and records what came out. */
  List<AlertDraft> send(DeviceEvent e) {
    List<AlertDraft> out = engine.evaluate(e);
    emitted.addAll(out);
    commit(out);
    return out;
  }

  private void commit(List<AlertDraft> out) {
    if (store == null) {
      return;
    }
    StateChanges state = engine.drainChanges();
    if (!out.isEmpty() || !state.isEmpty()) {
      try {
        store.commit(new Decision(out, state, null)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("commit failed", e);
      }
    }
  }

  List<AlertDraft> tick() {
    List<AlertDraft> out = engine.tick(clock.instant());
    emitted.addAll(out);
    commit(out);
    return out;
  }

  /** Advances the clock one step at a time, ticking after each. */
  List<AlertDraft> run(Duration total, Duration step) {
    List<AlertDraft> out = new ArrayList<>();
    for (Duration d = Duration.ZERO; d.compareTo(total) < 0; d = d.plus(step)) {
      clock.advance(step);
      out.addAll(tick());
    }
    return out;
  }

  static List<AlertState> states(List<AlertDraft> alerts) {
    return alerts.stream().map(AlertDraft::state).toList();
  }
}
