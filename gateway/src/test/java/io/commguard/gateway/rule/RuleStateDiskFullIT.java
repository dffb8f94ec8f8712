package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.testsupport.SmallTmpfs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule state on a really full file system (a small tmpfs): kept in memory, retried, written once space returns. */
class RuleStateDiskFullIT {
  @TempDir Path dir;

  @Test
  void diskFull_stateKeptAndWrittenWhenSpaceReturns() throws Exception {
    SmallTmpfs tmpfs = SmallTmpfs.mount(dir.resolve("data"), "2m");
    assumeTrue(tmpfs != null, SmallTmpfs.lastSkipReason());
    Counters counters = new Counters();
    Path file = tmpfs.path().resolve("rules.db");
    try (tmpfs) {
      Path filler = tmpfs.path().resolve("filler");
      try (SqliteRuleStateStore store = SqliteRuleStateStore.open(file, counters)) {
        store.put("episode|gas-1", "{\"open\":true}");
        store.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
        fillUntilFull(filler);

        String big = "x".repeat(20_000);
        for (int i = 0; i < 20; i++) {
          store.put("episode|cam-" + i, "{\"pad\":\"" + big + "\"}");
        }
        store.put("episode|gas-1", "{\"open\":false}");
        await().atMost(Duration.ofSeconds(10)).until(() -> counters.get("rule_state_write_failed") > 0);

        Files.delete(filler);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
            .until(() -> store.flush().toCompletableFuture().thenApply(v -> true).get(10, TimeUnit.SECONDS));
      }
      try (SqliteRuleStateStore reopened = SqliteRuleStateStore.open(file, new Counters())) {
        assertThat(reopened.loaded()).containsEntry("episode|gas-1", "{\"open\":false}").containsKey("episode|cam-19");
      }
    }
  }

  private static void fillUntilFull(Path filler) {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      // the file system is full now
    }
  }
}
