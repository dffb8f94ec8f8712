package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.rule.spec.AlarmSpec;
import io.commguard.gateway.rule.spec.GatewayRules;
import io.commguard.gateway.rule.spec.GatewayRulesParser;
import io.commguard.gateway.rule.spec.RulesSection;
import io.commguard.gateway.rule.spec.RulesSectionParser;
import io.commguard.gateway.validation.Problem;
import io.commguard.gateway.validation.ProblemCollector;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules section of profiles and the rule overrides of the config: parsing and validation. */
class RulesParserTest {

  @Test
  void fullSection_parses() {
    RulesSection s = RuleKit.rules("""
        alarms:
          - {type: ANY, raiseSamples: 2, clearAfter: PT5S}
          - {type: PERIMETER_INTRUSION, clearOn: STOP_OR_QUIET, quietClearAfter: PT30S, updateInterval: PT10S}
        thresholds:
          - measurement: concentration
            type: GAS_LEAK
            levels:
              - {level: 1, raiseAt: 50, clearBelow: 45}
              - {level: 2, raiseAt: 25, clearBelow: 20}
        deadbands:
          - {measurement: concentration, absolute: 1.0, maxSilence: PT15M}
        rateLimit: {eventsPerSecond: 2, burst: 10, summaryInterval: PT1M}
        offline: {expectedInterval: PT2S, missedIntervals: 5}
        access: {forward: SUMMARY, summaryInterval: PT5M}
        confirmation: {mode: TWO_DETECTORS, within: PT60S, unconfirmedLevel: 2}
        zone: b3-kitchen
        """);
    AlarmSpec cam = RulesSection.BUILT_IN.overriddenBy(s).alarmFor(CanonicalType.PERIMETER_INTRUSION);
    assertThat(cam.raiseSamples()).isEqualTo(2);
    assertThat(cam.clearOn()).isEqualTo(AlarmSpec.ClearOn.STOP_OR_QUIET);
    assertThat(cam.clearAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.thresholds().get(0).levels()).extracting(l -> l.level()).containsExactly(2, 1);
    assertThat(s.offline().silenceLimit()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.zone()).isEqualTo("b3-kitchen");
  }

  @Test
  void enumValues_inAnyCase_withOrWithoutSeparators_andSuggestionsForTypos() {
    ProblemCollector problems = new ProblemCollector("p.yaml");
    RulesSection s = new RulesSectionParser().parse(RuleKit.node("{alarms: [{type: perimeterIntrusion, clearOn: stopOrQuiet}]}"), problems);
    assertThat(problems.problems()).isEmpty();
    assertThat(s.alarms().get(0).clearOn()).isEqualTo(AlarmSpec.ClearOn.STOP_OR_QUIET);

    ProblemCollector typos = new ProblemCollector("p.yaml");
    new RulesSectionParser().parse(RuleKit.node("{alarms: [{type: ANY, clearOn: stopOrQiuet, raiseSampels: 2}]}"), typos);
    assertThat(typos.problems()).extracting(Problem::reason)
        .anySatisfy(r -> assertThat(r).endsWith("was 'stopOrQiuet'; did you mean 'STOP_OR_QUIET'?"))
        .anySatisfy(r -> assertThat(r).startsWith("unknown key; did you mean 'raiseSamples'?"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown top key                | {alarm: []}                                                      | rules.alarm              | unknown key
      unknown type                   | {alarms: [{type: GAS}]}                                          | rules.alarms[0].type     | must be one of UNKNOWN, FIRE_SMOKE, GAS_LEAK
      type required                  | {alarms: [{raiseSamples: 2}]}                                     | rules.alarms[0].type     | required
      bad duration                   | {alarms: [{type: ANY, raiseAfter: 5s}]}                           | rules.alarms[0].raiseAfter | ISO-8601
      zero samples                   | {alarms: [{type: ANY, raiseSamples: 0}]}                          | rules.alarms[0].raiseSamples | integer from 1
      enum not boolean               | {alarms: [{type: ANY, clearOn: true}]}                            | rules.alarms[0].clearOn  | must be one of STOP_EVENT, STOP_OR_QUIET, was true
      duplicate alarm type           | {alarms: [{type: FALL}, {type: FALL}]}                            | rules.alarms[1].type     | duplicate
      clearBelow above raiseAt       | {thresholds: [{measurement: c, type: GAS_LEAK, levels: [{level: 2, raiseAt: 25, clearBelow: 30}]}]} | rules.thresholds[0].levels[0].clearBelow | must not exceed
      levels out of order            | {thresholds: [{measurement: c, type: GAS_LEAK, levels: [{level: 1, raiseAt: 25, clearBelow: 20}, {level: 2, raiseAt: 50, clearBelow: 45}]}]} | rules.thresholds[0].levels | more severe
      level missing                  | {thresholds: [{measurement: c, type: GAS_LEAK, levels: [{raiseAt: 25, clearBelow: 20}]}]} | rules.thresholds[0].levels[0].level | required
      falling with clearBelow        | {thresholds: [{measurement: o2, type: GAS_LEAK, direction: FALLING, levels: [{level: 2, raiseAt: 19.5, clearBelow: 20}]}]} | rules.thresholds[0].levels[0].clearBelow | not for a FALLING threshold; use clearAbove
      falling clearAbove below raise | {thresholds: [{measurement: o2, type: GAS_LEAK, direction: FALLING, levels: [{level: 2, raiseAt: 19.5, clearAbove: 19}]}]} | rules.thresholds[0].levels[0].clearAbove | must not be below raiseAt
      falling levels out of order    | {thresholds: [{measurement: o2, type: GAS_LEAK, direction: FALLING, levels: [{level: 2, raiseAt: 18, clearAbove: 18.5}, {level: 1, raiseAt: 19.5, clearAbove: 20}]}]} | rules.thresholds[0].levels | a lower raiseAt must mean a more severe
      rising with clearAbove         | {thresholds: [{measurement: c, type: GAS_LEAK, levels: [{level: 2, raiseAt: 25, clearAbove: 20}]}]} | rules.thresholds[0].levels[0].clearAbove | not for a RISING threshold; use clearBelow
      unknown direction              | {thresholds: [{measurement: c, type: GAS_LEAK, direction: DOWN, levels: [{level: 2, raiseAt: 25, clearBelow: 20}]}]} | rules.thresholds[0].direction | RISING
      no levels                      | {thresholds: [{measurement: c, type: GAS_LEAK, levels: []}]}      | rules.thresholds[0].levels | at least one level
      negative band                  | {deadbands: [{measurement: c, absolute: -1}]}                     | rules.deadbands[0].absolute | number >= 0
      deadband needs measurement     | {deadbands: [{absolute: 1}]}                                      | rules.deadbands[0].measurement | required
      rate zero                      | {rateLimit: {eventsPerSecond: 0}}                                 | rules.rateLimit.eventsPerSecond | number >=
      access forward unknown         | {access: {forward: ALL}}                                          | rules.access.forward     | must be one of EACH, SUMMARY, NONE, was 'ALL'
      unconfirmed level 1            | {confirmation: {mode: TWO_DETECTORS, unconfirmedLevel: 1}}        | rules.confirmation.unconfirmedLevel | integer from 2
      not a mapping                  | [1, 2]                                                            | rules                    | must be a mapping
      """)
  void invalidSection_isReportedWithItsExactPath(String name, String yaml, String path, String reason) {
    ProblemCollector problems = new ProblemCollector("profiles/acme/gd100/profile.yaml");
    RulesSection s = new RulesSectionParser().parse(RuleKit.node(yaml), problems);
    assertThat(s).isNull();
    assertThat(problems.problems()).anySatisfy(p -> {
      assertThat(p.file()).isEqualTo("profiles/acme/gd100/profile.yaml");
      assertThat(p.path()).isEqualTo(path);
      assertThat(p.reason()).contains(reason);
    });
  }

  @Test
  void layers_mergeFieldByField_deviceOverSiteOverProfile() {
    RulesSection profile = RuleKit.rules("""
        alarms: [{type: GAS_LEAK, raiseSamples: 2, clearSamples: 3}]
        deadbands: [{measurement: concentration, absolute: 1, maxSilence: PT15M}]
        rateLimit: {eventsPerSecond: 5}
        """);
    RulesSection site = RuleKit.rules("""
        alarms: [{type: GAS_LEAK, raiseSamples: 1}]
        confirmation: {mode: TWO_DETECTORS}
        """);
    RulesSection device = RuleKit.rules("deadbands: [{measurement: concentration, maxSilence: PT5M}]");
    RulesSection r = RulesSection.BUILT_IN.overriddenBy(profile).overriddenBy(site).overriddenBy(device);
    assertThat(r.alarmFor(CanonicalType.GAS_LEAK).raiseSamples()).isEqualTo(1);
    assertThat(r.alarmFor(CanonicalType.GAS_LEAK).clearSamples()).isEqualTo(3);
    assertThat(r.deadbandFor("concentration").absolute()).isEqualTo(1.0);
    assertThat(r.deadbandFor("concentration").maxSilence()).isEqualTo(Duration.ofMinutes(5));
    assertThat(r.rateLimit().eventsPerSecond()).isEqualTo(5.0);
    assertThat(r.rateLimit().burst()).isEqualTo(20);
    assertThat(r.confirmation().within()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void gatewayConfig_deviceSiteAndHouseholdProblems_carryConfigPaths() {
    JsonNode top = RuleKit.node("""
        sites:
          - scope: 310115001/B3
            rules: {alarms: [{type: ANY, raiseSamples: 2}]}
          - scope: ''
            rules: {}
        households:
          - {id: hh-1, devices: [door-1, ghost], noActivityFor: PT4H, from: '7am'}
          - {id: hh-1, devices: [door-1], noActivityFor: PT4H}
        """);
    GatewayConfig config = config(top, new DeviceConfig("door-1", "p1", null, null, null,
        RuleKit.node("{offline: {expectedInterval: 30s}}"), null, null));
    ProblemCollector problems = new ProblemCollector("gateway.yaml");
    assertThat(new GatewayRulesParser().parse(config, problems)).isNull();
    assertThat(problems.problems()).extracting(Problem::path).containsExactlyInAnyOrder(
        "devices[0].rules.offline.expectedInterval",
        "rules.sites[1].scope",
        "rules.households[0].devices[1]",
        "rules.households[0].from",
        "rules.households[1].id");
  }

  @Test
  void gatewayConfig_valid_parses() {
    JsonNode top = RuleKit.node("""
        sites:
          - scope: 310115001/B3
            rules: {confirmation: {mode: TWO_DETECTORS}}
        households:
          - {id: hh-1, devices: [door-1], noActivityFor: PT4H, from: '07:00', to: '21:00', timeZone: Asia/Shanghai}
        """);
    GatewayConfig config = config(top, new DeviceConfig("door-1", "p1", null, null, null,
        RuleKit.node("{zone: z1}"), null, null));
    ProblemCollector problems = new ProblemCollector("gateway.yaml");
    GatewayRules rules = new GatewayRulesParser().parse(config, problems);
    assertThat(problems.problems()).isEmpty();
    assertThat(rules.sites()).hasSize(1);
    assertThat(rules.households().get(0).activityKinds()).hasSize(2);
    assertThat(rules.devices().get("door-1").zone()).isEqualTo("z1");
  }

  private static GatewayConfig config(JsonNode rules, DeviceConfig... devices) {
    return new GatewayConfig("gw-1", null, null, List.of(devices), null, null, rules, null);
  }
}
