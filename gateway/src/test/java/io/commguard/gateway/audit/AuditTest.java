package io.commguard.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hash chain on a real file: appends, reads back, and finds every kind of tampering. */
class AuditTest {
  @TempDir Path dir;
  private Audit audit;
  private Path file;

  @BeforeEach
  void threeChanges() {
    audit = Audit.in(dir, Clock.fixed(Instant.parse("2026-11-27T08:00:00Z"), ZoneOffset.UTC));
    file = dir.resolve(Audit.FILE);
    audit.record("cli:root", "user.add", "alice", null, new JsonObject().put("role", "admin"));
    audit.record("user:alice", "device.update", "gas-1", new JsonObject().put("site", "B3"), new JsonObject().put("site", "B4"));
    audit.record("user:alice", "device.delete", "gas-2", new JsonObject().put("site", "B3"), null);
  }

  @Test
  void appends_readBack_andVerify() throws Exception {
    List<Audit.Entry> all = audit.latest(10);
    assertThat(all).extracting(Audit.Entry::seq).containsExactly(1L, 2L, 3L);
    assertThat(all.get(1).before().getString("site")).isEqualTo("B3");
    assertThat(all.get(1).after().getString("site")).isEqualTo("B4");
    assertThat(all.get(1).time()).isEqualTo("2026-11-27T08:00:00Z");
    assertThat(all.get(2).after()).isNull();
    assertThat(audit.latest(2)).extracting(Audit.Entry::seq).containsExactly(2L, 3L);
    assertThat(audit.verify()).isEqualTo(new Audit.Verdict(3, null));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(Audit.HEAD_FILE))))
        .isEqualTo("rw-------");
  }

  @Test
  void anEditedEntry_isFound() throws Exception {
    rewrite(lines -> lines.set(1, lines.get(1).replace("\"site\":\"B4\"", "\"site\":\"B9\"")));
    assertThat(audit.verify().problem()).isEqualTo("entry 2 was edited (its hash does not match its content)");
  }

  @Test
  void anEntryDeletedInTheMiddle_isFound() throws Exception {
    rewrite(lines -> lines.remove(1));
    assertThat(audit.verify().problem()).contains("line 2 has seq 3");
  }

  @Test
  void entriesCutOffTheEnd_areFound() throws Exception {
    rewrite(lines -> lines.remove(2));
    assertThat(audit.verify().problem()).contains("cut off the end");
  }

  @Test
  void aRenumberedAndRehashedForgery_withoutTheChain_isFound() throws Exception {
    // Deleting entry 2 and renumbering entry 3 keeps seq continuous, but entry 3 still names entry 2's hash.
    rewrite(lines -> {
      lines.remove(1);
      lines.set(1, lines.get(1).replace("\"seq\":3", "\"seq\":2"));
    });
    assertThat(audit.verify().problem()).isEqualTo("entry 2 does not follow entry 1: an entry was deleted or replaced");
  }

  @Test
  void concurrentWriters_keepOneChain() throws Exception {
    Audit second = Audit.in(dir, Clock.systemUTC());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        Audit writer = i % 2 == 0 ? audit : second;
        int n = i;
        writes.add(pool.submit(() -> writer.record("cli:root", "user.passwd", "u" + n, null, null)));
      }
      for (Future<?> w : writes) {
        w.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(audit.verify()).isEqualTo(new Audit.Verdict(43, null));
  }

  private void rewrite(java.util.function.Consumer<List<String>> edit) throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    edit.accept(lines);
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
