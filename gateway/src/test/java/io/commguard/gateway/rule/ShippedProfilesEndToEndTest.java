package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.alert.v1.Alert;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.outbox.OutboxRow;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.pipeline.Pipeline;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.ProfileLoader;
import io.commguard.gateway.ProfileSections;
import io.commguard.gateway.profile.codec.ProfilePayloadDecoder;
import io.commguard.gateway.rule.spec.GatewayRules;
import io.commguard.gateway.rule.spec.RulesSection;
import io.commguard.gateway.rule.spec.RulesSectionParser;
import io.commguard.gateway.testsupport.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payloads decoded by the shipped profiles, through the real pipeline (rules engine with its
 * SQLite state, then the SQLite outbox); what reaches the outbox is read back as protobuf.
 */
class ShippedProfilesEndToEndTest {
  private static final Site SITE = new Site("310115001", "G7", "B3", "2", "1", "");
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"));

  @TempDir
  Path dataDir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T02:00:00Z"));
  private final Counters counters = new Counters();
  private Map<String, DeviceProfile> profiles;
  private RuleEngine engine;
  private SqliteOutbox outbox;
  private Pipeline pipeline;

  @BeforeEach
  void start() {
    profiles = ProfileSections.loader().loadDirectory(PROFILES);
    List<DeviceConfig> devices = List.of(
        new DeviceConfig("cam-1", "hikvision-isapi-camera", null, SITE, "North fence"),
        new DeviceConfig("gas-1", "generic-nbiot-gas-detector", null, SITE, "Kitchen 101"),
        new DeviceConfig("gas-2", "generic-reading-decimals-sensor", null, SITE, "Boiler room"),
        new DeviceConfig("ac-1", "hikvision-access-controller", null, SITE, "Unit 2 door"));
    GatewayConfig config = new GatewayConfig("gw-e2e", dataDir.toString(), PROFILES.toString(), devices,
        null, null, null, null);
    Map<String, RulesSection> rules = new HashMap<>();
    profiles.forEach((id, p) -> {
      RulesSection r = p.section(RulesSectionParser.KEY, RulesSection.class);
      if (r != null) {
        rules.put(id, r);
      }
    });
    outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dataDir, "gw-e2e", counters);
    outbox.start(List.of("uplink"));
    engine = RuleEngine.open(config, devices, GatewayRules.NONE, rules, outbox.ruleState(), clock, counters);
    pipeline = new Pipeline(engine, outbox, counters);
  }

  @AfterEach
  void stop() {
    outbox.close();
  }

  @Test
  void cameraRePosts_areOneAlert_updatedWithNewPictures_clearedAfterQuiet() throws Exception {
    String first = payload("hikvision/isapi-camera/cases/xml-field-detection-active/payload.xml");
    for (int post = 1; post <= 10; post++) {
      String repost = first.replace("<activePostCount>1</activePostCount>", "<activePostCount>" + post + "</activePostCount>")
          .replace("ch01_08000000017000", "ch01_0800000001700" + post);
      deliver("cam-1", "hikvision-isapi-camera", repost);
      advance(Duration.ofSeconds(3));
    }
    advance(Duration.ofSeconds(40));

    List<Alert> alerts = alertsOf("cam-1");
    assertThat(alerts).extracting(a -> a.getState().name()).startsWith("RAISED").endsWith("CLEARED")
        .filteredOn(s -> s.equals("RAISED") || s.equals("CLEARED")).hasSize(2);
    assertThat(alerts).extracting(Alert::getAlertId).containsOnly(alerts.get(0).getAlertId());
    assertThat(alerts).extracting(a -> a.getState().name()).filteredOn("UPDATED"::equals).hasSize(1);
    assertThat(alerts).allMatch(a -> a.getType() == io.commguard.alert.v1.AlertType.PERIMETER_INTRUSION);
    assertThat(alerts.stream().mapToInt(Alert::getEvidenceCount).sum()).as("every picture once").isEqualTo(10);
  }

  @Test
  void gasDetectorRampUpAndDown_raisesLowEscalatesHighDeescalatesAndClearsOnce() throws Exception {
    String[][] ramp = {{"normal", "0"}, {"normal", "8"}, {"low", "26"}, {"low", "31"}, {"high", "52"},
        {"high", "60"}, {"high", "55"}, {"low", "40"}, {"low", "27"}, {"normal", "12"}, {"normal", "0"}};
    long ts = 1795336045500L;
    for (String[] r : ramp) {
      deliver("gas-1", "generic-nbiot-gas-detector", "{\"imei\":\"868120300012345\",\"ts\":" + ts + ",\"status\":\""
          + r[0] + "\",\"gas\":{\"type\":\"CH4\",\"concentration\":" + r[1] + "},\"battery\":86}");
      ts += 30_000;
      advance(Duration.ofSeconds(30));
    }
    List<Alert> alerts = alertsOf("gas-1");
    assertThat(alerts).extracting(a -> a.getState().name() + "@" + a.getLevel())
        .containsExactly("RAISED@2", "UPDATED@1", "UPDATED@2", "CLEARED@2");
    assertThat(alerts).extracting(Alert::getAlertId).containsOnly(alerts.get(0).getAlertId());
    assertThat(alerts.get(1).getMeasurementsList()).anySatisfy(m -> assertThat(m.getValue()).isEqualTo(52.0));
  }

  @Test
  void bareSensorReadings_crossTheProfilesThresholds_withHysteresisAndDebounce() throws Exception {
    // TELEMETRY as the Modbus source emits it for generic-reading-decimals-sensor, one poll every 2 s.
    double[] readings = {0, 3, 26, 27, 30, 51, 55, 48, 46, 30, 22, 19, 10, 2, 0};
    for (double v : readings) {
      DeviceRef ref = new DeviceRef("gas-2", "generic-reading-decimals-sensor", "", SITE, "Boiler room");
      pipeline.accept(new DeviceEvent(ref, EventKind.TELEMETRY, CanonicalType.READING, 4, Phase.PULSE, "", null,
              clock.instant(), "telemetry", List.of(new Measurement("reading", v, "%LEL")), List.of(), Map.of(), "Reading"))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      advance(Duration.ofSeconds(2));
    }
    List<Alert> alarms = alertsOf("gas-2").stream().filter(a -> a.getKind() == io.commguard.alert.v1.EventKind.ALARM)
        .toList();
    assertThat(alarms).extracting(a -> a.getState().name() + "@" + a.getLevel())
        .containsExactly("RAISED@2", "UPDATED@1", "UPDATED@2", "CLEARED@2");
    assertThat(alarms.get(0).getMeasurementsList()).anySatisfy(m -> assertThat(m.getValue()).isEqualTo(27.0));
  }

  @Test
  void doorHeldOpenThenClosed_isOneRaisedThenOneCleared() throws Exception {
    deliver("ac-1", "hikvision-access-controller", payload("hikvision/access-controller/cases/door-held-open/payload.json"));
    advance(Duration.ofSeconds(60));
    deliver("ac-1", "hikvision-access-controller", payload("hikvision/access-controller/cases/door-held-open/payload.json"));
    advance(Duration.ofSeconds(90));
    deliver("ac-1", "hikvision-access-controller", payload("hikvision/access-controller/cases/door-closed/payload.json"));
    advance(Duration.ofMinutes(5));

    List<Alert> alerts = alertsOf("ac-1");
    assertThat(alerts).extracting(a -> a.getType().name() + "/" + a.getState().name())
        .containsExactly("DOOR_HELD_OPEN/RAISED", "DOOR_HELD_OPEN/CLEARED");
    assertThat(alerts.get(1).getAlertId()).isEqualTo(alerts.get(0).getAlertId());
    assertThat(alerts.get(1).getNativeCode()).isEqualTo("5/0x1a");
  }

  private void deliver(String deviceId, String profileId, String payload) throws Exception {
    ProfilePayloadDecoder decoder = ProfilePayloadDecoder.create(profiles.get(profileId), HashKey.of(new byte[32]),
        counters);
    DeviceRef ref = new DeviceRef(deviceId, profileId, profiles.get(profileId).model(), SITE, "");
    for (DeviceEvent e : decoder.decode(ref, "devices/" + deviceId + "/events",
        payload.getBytes(StandardCharsets.UTF_8), clock.instant())) {
      pipeline.accept(e).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private void advance(Duration d) throws Exception {
    for (long s = 0; s < d.toSeconds(); s++) {
      clock.advance(Duration.ofSeconds(1));
      pipeline.tick(clock.instant()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private List<Alert> alertsOf(String deviceId) throws Exception {
    List<OutboxRow> rows = outbox.cursor("uplink").nextBatch(10_000).toCompletableFuture().get(10, TimeUnit.SECONDS);
    outbox.cursor("uplink").release(rows.stream().map(OutboxRow::sequence).toList());
    return rows.stream().filter(r -> r.deviceId().equals(deviceId)).sorted(Comparator.comparingLong(OutboxRow::sequence))
        .map(r -> {
          try {
            return Alert.parseFrom(r.payload());
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
          }
        }).toList();
  }

  private static String payload(String relative) throws Exception {
    return Files.readString(PROFILES.resolve(relative));
  }
}
