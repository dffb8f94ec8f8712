package io.commguard.bench.jmh;

import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Site;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.ProfileSections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Shipped profiles and payloads ({@code -Dprofiles.dir}, default {@code device-profiles}) and sample alerts. */
final class Fixtures {
  static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "device-profiles"));
  static final Site SITE = new Site("310115001", "G-07", "3", "1", "5", "502");

  private Fixtures() {}

  static Map<String, DeviceProfile> profiles() {
    return ProfileSections.loader().loadDirectory(PROFILES);
  }

  static byte[] payload(String caseFile) {
    try {
      return Files.readAllBytes(PROFILES.resolve(caseFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DeviceRef device(String id, String profile) {
    return new DeviceRef(id, profile, "bench", SITE, "B3 stairwell 5F");
  }

  static AlertDraft alarm(int i) {
    return new AlertDraft(UUID.randomUUID().toString(), device("gas-" + i, "generic-nbiot-gas-detector"), EventKind.ALARM,
        CanonicalType.GAS_LEAK, 1, AlertState.RAISED, "high", Instant.now(), Instant.now(),
        List.of(new Measurement("concentration", 52.0, "%LEL"), new Measurement("battery", 86, "%")), List.of(),
        Map.of("gas", "CH4", "imei", "868120300012345"), "High gas alarm (second set point)");
  }
}
