package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.alert.v1.Alert;
import io.commguard.gateway.config.OutboxConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.outbox.OutboxRow;
import io.commguard.gateway.outbox.SqliteOutbox;
import io.commguard.gateway.pipeline.Pipeline;
import io.commguard.gateway.rule.spec.GatewayRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several source threads at once through the real pipeline and outbox: decisions are committed in
 * the order taken, so in the outbox every episode reads RAISED then CLEARED, and the committed rule
 * state has no episode left open.
 */
class ConcurrentPipelineOrderTest {
  @TempDir
  Path dir;

  @Test
  void concurrentSources_keepEachEpisodesOrderInTheOutbox() throws Exception {
    Counters counters = new Counters();
    RuleKit kit = new RuleKit();
    String[] devices = {"cam-1", "cam-2", "cam-3", "cam-4"};
    SqliteOutbox outbox = new SqliteOutbox(OutboxConfig.DEFAULTS, dir, "gw-order", counters);
    outbox.start(List.of("uplink"));
    kit.engine = kit.engine("rateLimit: {eventsPerSecond: 100000, burst: 100000}", GatewayRules.NONE,
        new RuleStateStore(outbox.ruleState()), devices);
    Pipeline pipeline = new Pipeline(kit.engine, outbox, counters);
    ExecutorService sources = Executors.newFixedThreadPool(devices.length);
    try {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (String device : devices) {
        done.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < 200; i++) {
            Phase phase = i % 2 == 0 ? Phase.ACTIVE : Phase.INACTIVE;
            pipeline.accept(kit.alarm(device, CanonicalType.PERIMETER_INTRUSION, phase, 2, "ch1"));
          }
        }, sources));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
          .until(() -> counters.get("outbox_appended") >= devices.length * 200);

      List<OutboxRow> rows = new ArrayList<>(outbox.cursor("uplink").nextBatch(100_000).toCompletableFuture().get(10, TimeUnit.SECONDS));
      rows.sort(Comparator.comparingLong(OutboxRow::sequence));
      Map<String, List<String>> byEpisode = new LinkedHashMap<>();
      for (OutboxRow r : rows) {
        Alert a = Alert.parseFrom(r.payload());
        byEpisode.computeIfAbsent(a.getAlertId(), id -> new ArrayList<>()).add(a.getState().name());
      }
      assertThat(byEpisode).hasSize(devices.length * 100);
      assertThat(byEpisode.values()).allSatisfy(states -> assertThat(states).containsExactly("RAISED", "CLEARED"));
    } finally {
      sources.shutdownNow();
      outbox.close();
    }
    SqliteOutbox reopened = new SqliteOutbox(OutboxConfig.DEFAULTS, dir, "gw-order", new Counters());
    reopened.start(List.of("uplink"));
    try {
      assertThat(reopened.ruleState().keySet()).noneMatch(k -> k.startsWith("episode/"));
    } finally {
      reopened.close();
    }
  }
}
