package io.commguard.gateway.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.config.EvidenceConfig;
import io.commguard.gateway.config.EvidenceConfig.Keep;
import io.commguard.gateway.evidence.EvidenceStore.Picture;
import io.commguard.gateway.evidence.EvidenceStore.Subject;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.testsupport.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evidence store on a real folder: policy, bounds, eviction order, permissions and read-back. */
class EvidenceStoreTest {
  private static final EvidenceConfig KEEP = new EvidenceConfig(Keep.KEEP, null, 1L << 20, 400_000, 7);

  @TempDir Path dataDir;
  private final Counters counters = new Counters();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));

  @Test
  void defaultPolicy_dropsAndCounts_withoutTouchingTheDisk() throws Exception {
    try (EvidenceStore store = EvidenceStore.open(EvidenceConfig.DEFAULTS, dataDir, counters, clock)) {
      assertThat(store.keeps()).isFalse();
      assertThat(stored(store, "cam-1", Subject.SCENE, jpeg(1000))).isEmpty();
    }
    assertThat(counters.get("pictures_dropped", "cam-1", "not_kept")).isEqualTo(1);
    assertThat(dataDir.resolve("evidence")).doesNotExist();
  }

  @Test
  void keptPicture_isPrivateOnDisk_andReadBackByItsReference() throws Exception {
    byte[] picture = jpeg(250_000);
    try (EvidenceStore store = EvidenceStore.open(KEEP, dataDir, counters, clock)) {
      String ref = stored(store, "cam-1", Subject.SCENE, picture).orElseThrow();

      assertThat(ref).startsWith(EvidenceStore.REF_PREFIX).endsWith(".jpg").contains("cam-1");
      Path dir = dataDir.resolve("evidence");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
      Path file = dir.resolve(ref.substring(EvidenceStore.REF_PREFIX.length()));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      Picture read = store.read(ref).toCompletableFuture().get().orElseThrow();
      assertThat(read.contentType()).isEqualTo("image/jpeg");
      assertThat(read.bytes()).isEqualTo(picture);
      assertThat(counters.get("pictures_kept", "cam-1", null)).isEqualTo(1);
    }
  }

  @Test
  void facesTooLargeAndNonImages_areDropped_withTheirReasons() throws Exception {
    try (EvidenceStore store = EvidenceStore.open(KEEP, dataDir, counters, clock)) {
      assertThat(stored(store, "door-1", Subject.FACE, jpeg(1000))).isEmpty();
      assertThat(stored(store, "cam-1", Subject.SCENE, jpeg(400_001))).isEmpty();
      assertThat(stored(store, "cam-1", Subject.SCENE, "<html><script>".getBytes())).isEmpty();
    }
    assertThat(counters.get("pictures_dropped", "door-1", "face")).isEqualTo(1);
    assertThat(counters.get("pictures_dropped", "cam-1", "too_large")).isEqualTo(1);
    assertThat(counters.get("pictures_dropped", "cam-1", "not_an_image")).isEqualTo(1);
    assertThat(files()).isEmpty();
  }

  @Test
  void facePictures_areKept_onlyWhenTheOperatorSaysSo() throws Exception {
    EvidenceConfig faces = new EvidenceConfig(Keep.KEEP, Keep.KEEP, 1L << 20, 400_000, 7);
    try (EvidenceStore store = EvidenceStore.open(faces, dataDir, counters, clock)) {
      assertThat(stored(store, "door-1", Subject.FACE, png(1000))).hasValueSatisfying(r -> assertThat(r).endsWith(".png"));
    }
  }

  @Test
  void sizeCap_evictsTheOldestFirst_acrossARestart() throws Exception {
    String first;
    String second;
    try (EvidenceStore store = EvidenceStore.open(KEEP, dataDir, counters, clock)) {
      first = stored(store, "cam-1", Subject.SCENE, jpeg(350_000)).orElseThrow();
      clock.advance(Duration.ofSeconds(1));
      second = stored(store, "cam-2", Subject.SCENE, jpeg(350_000)).orElseThrow();
    }
    clock.advance(Duration.ofSeconds(1));
    try (EvidenceStore store = EvidenceStore.open(KEEP, dataDir, counters, clock)) {
      String third = stored(store, "cam-1", Subject.SCENE, jpeg(350_000)).orElseThrow();

      assertThat(store.read(first).toCompletableFuture().get()).isEmpty();
      assertThat(store.read(second).toCompletableFuture().get()).isPresent();
      assertThat(store.read(third).toCompletableFuture().get()).isPresent();
    }
    assertThat(counters.get("pictures_evicted", null, "size_cap")).isEqualTo(1);
    assertThat(files()).hasSize(2);
  }

  @Test
  void retention_deletesOldPictures_whenTheStoreOpens() throws Exception {
    try (EvidenceStore store = EvidenceStore.open(KEEP, dataDir, counters, clock)) {
      stored(store, "cam-1", Subject.SCENE, jpeg(1000)).orElseThrow();
    }
    Files.write(dataDir.resolve("evidence").resolve("1795000000000-cam-1-00000000000000aa.jpg.tmp"), new byte[10]);
    clock.advance(Duration.ofDays(7).plusMinutes(1));
    try (EvidenceStore store = EvidenceStore.open(KEEP, dataDir, counters, clock)) {
      assertThat(files()).isEmpty();
    }
    assertThat(counters.get("pictures_evicted", null, "retention")).isEqualTo(1);
  }

  @Test
  void read_refusesReferencesItDidNotMake() throws Exception {
    Files.createDirectories(dataDir.resolve("secret"));
    try (EvidenceStore store = EvidenceStore.open(KEEP, dataDir, counters, clock)) {
      for (String ref : new String[] {"evidence:../outbox.db", "evidence:/etc/passwd", "http://nvr/pic.jpg", null,
          "evidence:1795000000000-cam-1-00000000000000aa.jpg"}) {
        assertThat(store.read(ref).toCompletableFuture().get()).as(ref).isEmpty();
      }
    }
  }

  private static Optional<String> stored(EvidenceStore store, String device, Subject subject, byte[] bytes) throws Exception {
    return store.store(device, subject, bytes).toCompletableFuture().get();
  }

  private Stream<Path> filesStream() throws Exception {
    return Files.list(dataDir.resolve("evidence"));
  }

  private java.util.List<Path> files() throws Exception {
    try (Stream<Path> s = filesStream()) {
      return s.toList();
    }
  }

  static byte[] jpeg(int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) 0x55);
    b[0] = (byte) 0xFF;
    b[1] = (byte) 0xD8;
    b[2] = (byte) 0xFF;
    return b;
  }

  private static byte[] png(int size) {
    byte[] b = new byte[size];
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, 0, b, 0, 8);
    return b;
  }
}
