package io.commguard.gateway.profile.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.ProfileLoader;
import io.commguard.gateway.ProfileSections;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every analytics eventType of domain.md section 4 maps to its canonical type in the shipped profile. */
class HikvisionEventTypesTest {
  private static ProfilePayloadDecoder decoder;

  @BeforeAll
  static void load() {
    Path dir = Path.of(System.getProperty("profiles.dir", "../device-profiles"));
    DeviceProfile p = ProfileSections.loader().loadDirectory(dir).get("hikvision-isapi-camera");
    decoder = ProfilePayloadDecoder.create(p, HashKey.of(new byte[32]), new Counters());
  }

  @ParameterizedTest
  @CsvSource({
      "VMD, MOTION", "linedetection, PERIMETER_INTRUSION", "fielddetection, PERIMETER_INTRUSION",
      "fieldDetection, PERIMETER_INTRUSION", "regionEntrance, PERIMETER_INTRUSION", "regionExiting, PERIMETER_INTRUSION",
      "loitering, LOITERING", "group, GATHERING", "failDown, FALL", "parking, FIRE_LANE_BLOCKED",
      "fireDetection, FIRE_SMOKE", "smokeDetection, FIRE_SMOKE", "smokeAndFireDetection, FIRE_SMOKE",
      "objectsThrownDetection, HIGH_ALTITUDE_THROW", "IndoorFirePassageDetection, FIRE_LANE_BLOCKED",
      "shelteralarm, DEVICE_FAULT", "videoloss, VIDEO_LOSS", "faceCapture, UNKNOWN", "ANPR, UNKNOWN", "somethingNew, UNKNOWN"})
  void eventType_mapsToCanonicalType(String eventType, CanonicalType expected) throws Exception {
    String xml = "<EventNotificationAlert><channelID>1</channelID><eventType>" + eventType
        + "</eventType><eventState>active</eventState></EventNotificationAlert>";
    DeviceEvent e = decoder.decode(new DeviceRef("cam", "hikvision-isapi-camera", "", null, null), "t",
        xml.getBytes(StandardCharsets.UTF_8), Instant.EPOCH).get(0);
    assertThat(e.type()).isEqualTo(expected);
    assertThat(e.nativeCode()).isEqualTo(eventType);
  }
}
