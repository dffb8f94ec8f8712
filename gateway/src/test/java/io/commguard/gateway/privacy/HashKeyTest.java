package io.commguard.gateway.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HashKeyTest {
  @TempDir Path dir;

  @Test
  void loadOrCreate_createsOwnerOnlyKey_andReloadsTheSameKey() throws Exception {
    Path data = dir.resolve("data");
    HashKey first = HashKey.loadOrCreate(data);
    Path file = data.resolve("hash.key");
    assertThat(Files.size(file)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(HashKey.loadOrCreate(data).hash("3204871234")).isEqualTo(first.hash("3204871234"));
    try (var files = Files.list(data)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void worldWritableDataDir_isRefused_namingTheFix() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> HashKey.loadOrCreate(dir)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("writable by other users").hasMessageContaining("chmod 700 " + dir.toAbsolutePath());
    assertThat(dir.resolve("hash.key")).doesNotExist();
  }

  @Test
  void plantedKeyOthersCanRead_isRefused_notUsed() throws Exception {
    Path planted = dir.resolve("hash.key");
    Files.write(planted, new byte[32]);
    Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> HashKey.loadOrCreate(dir)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("accessible to other users").hasMessageContaining("chmod 600 " + planted.toAbsolutePath());
  }

  @Test
  void dataDirOrKeyOfAnotherUser_isRefused_namingChown() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
        "changing a file's owner needs root; the check itself runs for every user");
    Path data = dir.resolve("data");
    HashKey.loadOrCreate(data);
    Files.setAttribute(data.resolve("hash.key"), "unix:uid", 65534);
    assertThatThrownBy(() -> HashKey.loadOrCreate(data)).hasMessageContaining("belongs to user id 65534")
        .hasMessageContaining("chown ");
    Files.setAttribute(data.resolve("hash.key"), "unix:uid", 0);
    Files.setAttribute(data, "unix:uid", 65534);
    assertThatThrownBy(() -> HashKey.loadOrCreate(data)).hasMessageContaining("Data directory")
        .hasMessageContaining("belongs to user id 65534");
  }

  @Test
  void newDataDir_isOwnerOnly() throws Exception {
    Path data = dir.resolve("a/b/data");
    HashKey.loadOrCreate(data);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.getParent()))).isEqualTo("rwx------");
  }

  @Test
  void rotate_replacesTheKey_withANewIdAndOwnerOnlyFile() throws Exception {
    HashKey before = HashKey.loadOrCreate(dir);
    HashKey.Rotation r = HashKey.rotate(dir);
    HashKey after = HashKey.loadOrCreate(dir);
    assertThat(r.oldId()).isEqualTo(before.id());
    assertThat(r.newId()).isEqualTo(after.id()).isNotEqualTo(before.id()).hasSize(HashKey.ID_CHARS);
    assertThat(after.hash("1001")).isNotEqualTo(before.hash("1001"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("hash.key")))).isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files).as("no old key or temp file left behind").containsExactly(dir.resolve("hash.key"));
    }
  }

  @Test
  void id_isAFingerprintOfTheKey() {
    // hashlib.sha256(bytes(32)).hexdigest()[:8]
    assertThat(HashKey.of(new byte[32]).id()).isEqualTo("66687aad");
  }

  @Test
  void twoGateways_hashDifferently() throws Exception {
    assertThat(HashKey.loadOrCreate(dir.resolve("a")).hash("1001")).isNotEqualTo(HashKey.loadOrCreate(dir.resolve("b")).hash("1001"));
  }

  @Test
  void wrongLengthKeyFile_refused() throws Exception {
    Files.write(dir.resolve("hash.key"), new byte[7]);
    Files.setPosixFilePermissions(dir.resolve("hash.key"), PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> HashKey.loadOrCreate(dir)).isInstanceOf(IllegalStateException.class).hasMessageContaining("has 7 bytes");
  }

  @Test
  void hash_isTruncatedHmacSha256Hex() {
    // RFC 4231 test case 2 has a short key; here an independent vector computed with Python's hmac:
    // hmac.new(bytes(32), b"1001", hashlib.sha256).hexdigest()[:32]
    assertThat(HashKey.of(new byte[32]).hash("1001")).isEqualTo(PYTHON_VECTOR);
    assertThat(HashKey.of(new byte[32]).toString()).doesNotContain("0");
  }

  @Property(tries = 500)
  void hash_equalsJavaxCryptoMac(@ForAll @Size(32) byte[] key, @ForAll String value) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    String expected = HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
    assertThat(HashKey.of(key).hash(value)).isEqualTo(expected);
  }

  static final String PYTHON_VECTOR = "6db411d36ba2e72787151641d370e9d9";

  @ParameterizedTest
  @ValueSource(strings = {"cardNo", "CardNo", "card_no", "employeeNoString", "name", "idNumber", "phone", "faceImage",
      "FacePicURL", "pictureBase64", "licensePlate", "pin", "mobile"})
  void personalNames_recognised(String field) {
    assertThat(PersonalData.isPersonal(field)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"doorNo", "serialNo", "channelID", "eventType", "deviceName", "ruleName", "concentration", "bkgUrl"})
  void ordinaryNames_notPersonal(String field) {
    assertThat(PersonalData.isPersonal(field)).isFalse();
  }
}
