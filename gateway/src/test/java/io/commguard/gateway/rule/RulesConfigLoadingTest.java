package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.rule.spec.GatewayRules;
import io.commguard.gateway.rule.spec.GatewayRulesParser;
import io.commguard.gateway.validation.Problem;
import io.commguard.gateway.validation.ProblemCollector;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The rule and admin keys of the gateway YAML, read by the real config loader. */
class RulesConfigLoadingTest {
  private static final String CONFIG = """
      gatewayId: gw-310115-0042
      devices:
        - id: gas-1
          profile: generic-nbiot-gas-detector
          site: {communityCode: "310115001", building: B3}
          rules:
            zone: b3-kitchens
            deadbands: [{measurement: concentration, maxSilence: PT5M}]
      uplink:
        brokerUrl: tcp://127.0.0.1:1883
        ackMode: platform
      rules:
        sites:
          - scope: 310115001/B3
            rules: {confirmation: {mode: TWO_DETECTORS}}
        households:
          - {id: hh-1, devices: [gas-1], from: '07:00', to: '21:00', noActivityFor: PT4H}
      admin:
        enabled: true
        port: 8641
        tokenFile: /etc/commguard/admin.token
      """;

  @Test
  void ruleAndAdminKeys_loadAndParse() throws Exception {
    GatewayConfig config = ConfigLoader.parse(in(CONFIG), "gateway.yaml");
    assertThat(config.admin().enabled()).isTrue();
    assertThat(config.admin().host()).isEqualTo("127.0.0.1");
    ProblemCollector problems = new ProblemCollector("gateway.yaml");
    GatewayRules rules = new GatewayRulesParser().parse(config, problems);
    assertThat(problems.problems()).isEmpty();
    assertThat(rules.devices().get("gas-1").zone()).isEqualTo("b3-kitchens");
    assertThat(rules.sites()).singleElement().satisfies(s -> assertThat(s.scope().toString()).isEqualTo("310115001/B3"));
    assertThat(rules.households()).singleElement().satisfies(h -> assertThat(h.id()).isEqualTo("hh-1"));
  }

  @Test
  void badRules_areReportedWithTheirConfigPaths() throws Exception {
    String bad = CONFIG.replace("maxSilence: PT5M", "maxSilence: 5m").replace("noActivityFor: PT4H", "noActivityFor: 4h");
    GatewayConfig config = ConfigLoader.parse(in(bad), "gateway.yaml");
    ProblemCollector problems = new ProblemCollector("gateway.yaml");
    assertThat(new GatewayRulesParser().parse(config, problems)).isNull();
    assertThat(problems.problems()).extracting(Problem::path)
        .containsExactlyInAnyOrder("devices[0].rules.deadbands[0].maxSilence", "rules.households[0].noActivityFor");
  }

  private static ByteArrayInputStream in(String yaml) {
    return new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
  }
}
