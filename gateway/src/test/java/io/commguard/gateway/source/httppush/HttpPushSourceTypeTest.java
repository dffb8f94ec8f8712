package io.commguard.gateway.source.httppush;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.config.ConfigSections;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.source.ConfiguredDevice;
import io.commguard.gateway.validation.Problem;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The push source's checks of its section and of each device's {@code httpPush} key. */
class HttpPushSourceTypeTest {
  @Test
  void plainHttpOnTheLan_isRefused_unlessOptedIn() throws Exception {
    assertThat(problems("httpPush: {enabled: true, host: 10.0.3.2}", List.of()))
        .anySatisfy(p -> assertThat(p).isEqualTo("httpPush.tls: devices would push credentials and alarms unencrypted to "
            + "10.0.3.2: give tls.certFile and tls.keyFile, or set httpPush.allowPlaintext: true to accept that risk on "
            + "this LAN (many cameras push only plain HTTP)"));
    assertThat(problems("httpPush: {enabled: true, host: 10.0.3.2, allowPlaintext: true}", List.of())).isEmpty();
    assertThat(problems("httpPush: {enabled: true}", List.of())).as("loopback needs no opt-in").isEmpty();
  }

  @Test
  void bindings_areChecked_eachProblemNamingItsDeviceAndKey() throws Exception {
    List<String> problems = problems("httpPush: {enabled: true, maxBodyBytes: 10}", List.of(
        "{id: cam-1, profile: p, httpPush: {path: /push/cam-1}}",
        "{id: cam-2, profile: p, httpPush: {path: /push/cam-1}}",
        "{id: cam-3, profile: p, httpPush: {address: cam.local}}",
        "{id: cam-4, profile: p, httpPush: {path: 'push?x=1', auth: basic}}",
        "{id: cam-5, profile: p, httpPush: {address: 10.0.3.21, auth: digest, digestHash: secret}}",
        "{id: cam-6, profile: p, httpPush: {address: 10.0.3.21}}",
        "{id: cam-7, profile: p, httpPush: {}}",
        "{id: cam-8, profile: p, httpPush: {path: /a, adress: 10.0.0.1}}"));

    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("httpPush.maxBodyBytes: must be 1024 to"))
        .anySatisfy(p -> assertThat(p).isEqualTo("devices[1].httpPush.path: path /push/cam-1 is already device cam-1's"))
        .anySatisfy(p -> assertThat(p).startsWith("devices[2].httpPush.address: must be an IP address"))
        .anySatisfy(p -> assertThat(p).startsWith("devices[3].httpPush.path: must start with /"))
        .anySatisfy(p -> assertThat(p).startsWith("devices[3].httpPush.auth: basic checks the device's passwordHash"))
        .anySatisfy(p -> assertThat(p).startsWith("devices[4].httpPush.digestHash: digest needs the output of "
            + "'gateway hash-password --digest cam-5'"))
        .anySatisfy(p -> assertThat(p).startsWith("devices[5].httpPush.address: address 10.0.3.21 alone already identifies"))
        .anySatisfy(p -> assertThat(p).startsWith("devices[6].httpPush: give the address the device pushes from"))
        .anySatisfy(p -> assertThat(p).startsWith("devices[7].httpPush.adress: unknown key 'adress'"));
  }

  @Test
  void aBoundDevice_needsTheListenerOn() throws Exception {
    assertThat(problems("", List.of("{id: cam-1, profile: p, httpPush: {path: /push/cam-1}}")))
        .containsExactly("devices[0].httpPush: the push listener is off: set httpPush.enabled: true (and its host and port)");
  }

  @Test
  void listenerOff_bindsNothing() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      GatewayConfig config = new GatewayConfig("gw", null, null, List.of(), null, null, null, null);
      try (var source = new HttpPushSourceType().start(new io.commguard.gateway.source.SourceContext(config, List.of(),
          java.util.Map.of(), null, vertx, 2, null, new io.commguard.gateway.metrics.Counters(), java.time.Clock.systemUTC(),
          null))) {
        assertThat(vertx.deploymentIDs()).isEmpty();
      }
    } finally {
      vertx.close().await();
    }
  }

  private static List<String> problems(String section, List<String> devices) throws Exception {
    GatewayConfig config = new GatewayConfig("gw", null, null, List.of(), null, null, null, null);
    if (!section.isBlank()) {
      config = config.withSection(HttpPushSourceType.SECTION, ConfigSections.readTree(section).get("httpPush"));
    }
    List<ConfiguredDevice> configured = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      DeviceConfig d = ConfigSections.read(ConfigSections.readTree(devices.get(i)), DeviceConfig.class, "d",
          new ProblemCollector("t"));
      configured.add(new ConfiguredDevice("devices[" + i + "]", d));
    }
    ProblemCollector problems = new ProblemCollector("gateway.yaml");
    new HttpPushSourceType().validate(config, configured, problems);
    return problems.problems().stream().map(Problem::toString).map(s -> s.substring("gateway.yaml: ".length())).toList();
  }
}
