package io.commguard.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uplink HMAC key file: owner-only, raw bytes of a sane length, named in every refusal. */
class HmacKeyTest {
  @TempDir Path dir;

  @Test
  void ownerOnlyKey_loads_withTheSha256PrefixAsId() throws Exception {
    Path file = key("rw-------", 32);

    assertThat(HmacKey.load(file).id()).isEqualTo("66687aad"); // SHA-256 of 32 zero bytes starts 66687aad
  }

  @Test
  void keyReadableByOthers_isRefused_namingFileAndFix() throws Exception {
    Path file = key("rw-r-----", 32);

    assertThatThrownBy(() -> HmacKey.load(file)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("chmod 600");
  }

  @Test
  void shortOrMissingKey_isRefused_namingFile() throws Exception {
    Path shortKey = key("rw-------", 16);

    assertThatThrownBy(() -> HmacKey.load(shortKey)).hasMessageContaining(shortKey.toString())
        .hasMessageContaining("16 bytes");
    assertThatThrownBy(() -> HmacKey.load(dir.resolve("none.key"))).hasMessageContaining("none.key")
        .hasMessageContaining("head -c 32 /dev/urandom");
  }

  @Test
  void toString_showsTheIdOnly() {
    assertThat(HmacKey.of(new byte[32]).toString()).isEqualTo("HmacKey[id=66687aad]");
  }

  private Path key(String mode, int bytes) throws Exception {
    Path file = dir.resolve("uplink-" + bytes + ".key");
    Files.write(file, new byte[bytes]);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }
}
