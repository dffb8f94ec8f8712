package io.commguard.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedPasswordsTest {
  private static final String HASH = PasswordHash.hash("device-secret".toCharArray());

  @TempDir
  Path dataDir;

  @Test
  void durableProofs_surviveARestart_ownerOnly_andHoldNoPassword() throws Exception {
    try (VerifiedPasswords first = VerifiedPasswords.durable(dataDir)) {
      first.remember("gas-01", "device-secret".toCharArray(), HASH);
    }
    Path cache = dataDir.resolve(VerifiedPasswords.CACHE_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(VerifiedPasswords.KEY_FILE))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(cache, StandardCharsets.US_ASCII)).startsWith("gas-01 ").doesNotContain("device-secret");

    try (VerifiedPasswords restarted = VerifiedPasswords.durable(dataDir)) {
      assertThat(restarted.known("gas-01", "device-secret".toCharArray(), HASH)).isTrue();
      assertThat(restarted.known("gas-01", "other".toCharArray(), HASH)).isFalse();
      assertThat(restarted.known("gas-01", "device-secret".toCharArray(), PasswordHash.hash("device-secret".toCharArray())))
          .as("a changed passwordHash invalidates the proof").isFalse();
    }
  }

  @Test
  void forget_dropsTheProof_alsoOnDisk() {
    try (VerifiedPasswords v = VerifiedPasswords.durable(dataDir)) {
      v.remember("gas-01", "device-secret".toCharArray(), HASH);
      v.forget("gas-01");
      assertThat(v.known("gas-01", "device-secret".toCharArray(), HASH)).isFalse();
    }
    try (VerifiedPasswords restarted = VerifiedPasswords.durable(dataDir)) {
      assertThat(restarted.size()).isZero();
    }
  }

  @Test
  void keyReadableByOthers_isReplaced_soOldProofsLapse() throws Exception {
    try (VerifiedPasswords first = VerifiedPasswords.durable(dataDir)) {
      first.remember("gas-01", "device-secret".toCharArray(), HASH);
    }
    Files.setPosixFilePermissions(dataDir.resolve(VerifiedPasswords.KEY_FILE), PosixFilePermissions.fromString("rw-r--r--"));

    try (VerifiedPasswords restarted = VerifiedPasswords.durable(dataDir)) {
      assertThat(restarted.known("gas-01", "device-secret".toCharArray(), HASH)).isFalse();
    }
    await().until(() -> PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(VerifiedPasswords.KEY_FILE)))
        .equals("rw-------"));
  }
}
