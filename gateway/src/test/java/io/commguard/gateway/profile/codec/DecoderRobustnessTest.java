package io.commguard.gateway.profile.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.profile.DecodeException;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.ProfileLoader;
import io.commguard.gateway.ProfileSections;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input never crashes a decoder: every shipped case payload, truncated and with random bytes
 * flipped, either decodes or fails with a {@link DecodeException} (no other exception escapes).
 * Seeded, so a failure reproduces.
 */
class DecoderRobustnessTest {
  private static final int MUTATIONS_PER_CASE = 300;

  static Stream<Arguments> payloads() throws IOException {
    Path dir = Path.of(System.getProperty("profiles.dir", "../device-profiles"));
    List<Arguments> out = new ArrayList<>();
    for (DeviceProfile p : ProfileSections.loader().loadDirectory(dir).values()) {
      Path cases = p.folder().resolve("cases");
      if (p.section("decode", DecodeSection.class) == null || !Files.isDirectory(cases)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(cases)) {
        for (Path f : files.filter(f -> f.getFileName().toString().startsWith("payload.")).sorted().toList()) {
          out.add(Arguments.of(cases.relativize(f).toString(), p, Files.readAllBytes(f)));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("payloads")
  void mutatedPayload_decodesOrFailsCleanly(String name, DeviceProfile profile, byte[] original) {
    ProfilePayloadDecoder decoder = ProfilePayloadDecoder.create(profile, HashKey.of(new byte[32]), new Counters());
    DeviceRef device = new DeviceRef("fuzz", profile.id(), "", null, null);
    Random random = new Random(name.hashCode());
    for (int i = 0; i < MUTATIONS_PER_CASE; i++) {
      byte[] payload = mutate(original, random);
      try {
        assertThat(decoder.decode(device, "t", payload, Instant.EPOCH)).isNotNull();
      } catch (DecodeException expected) {
        assertThat(expected.reason()).isNotBlank();
      }
    }
  }

  private static byte[] mutate(byte[] original, Random random) {
    byte[] b = Arrays.copyOf(original, random.nextInt(3) == 0 ? random.nextInt(original.length + 1) : original.length);
    int flips = 1 + random.nextInt(4);
    for (int i = 0; i < flips && b.length > 0; i++) {
      b[random.nextInt(b.length)] = (byte) random.nextInt(256);
    }
    return b;
  }
}
