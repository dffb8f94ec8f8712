package io.commguard.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.outbox.Drafts;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pipeline holds alerts the outbox refuses and retries them, never re-running the rules. */
class PipelineHoldTest {
  @Test
  void refusedAlerts_areRetriedAsDecided_andTheEventCompletesAfterTheCommit() throws Exception {
    AlertDraft raised = Drafts.alarm("gas-1", CanonicalType.GAS_LEAK, 1);
    AtomicInteger evaluations = new AtomicInteger();
    RuleStage rules = event -> {
      evaluations.incrementAndGet();
      return List.of(raised);
    };
    AtomicInteger refusals = new AtomicInteger(3);
    List<List<AlertDraft>> committed = new CopyOnWriteArrayList<>();
    AlertStore store = alerts -> {
      if (refusals.getAndDecrement() > 0) {
        return CompletableFuture.failedFuture(new OverloadedException("outbox storage full"));
      }
      committed.add(alerts);
      return CompletableFuture.completedFuture(null);
    };
    Counters counters = new Counters();
    Pipeline pipeline = new Pipeline(rules, store, counters);

    CompletionStage<Void> accepted = pipeline.accept(new DeviceEvent(Drafts.device("gas-1"), EventKind.ALARM,
        CanonicalType.GAS_LEAK, 1, Phase.ACTIVE, "high", Instant.now(), Instant.now(), "s1", List.of(), List.of(),
        java.util.Map.of(), "High gas alarm"));
    accepted.toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(evaluations).hasValue(1);
    assertThat(committed).containsExactly(List.of(raised));
    assertThat(counters.get("alerts_held")).isEqualTo(1);
  }

  @Test
  void rulesHearOfTheCommit_onlyOnceTheOutboxHasTheAlerts() throws Exception {
    AlertDraft raised = Drafts.alarm("gas-1", CanonicalType.GAS_LEAK, 1);
    List<List<AlertDraft>> heard = new CopyOnWriteArrayList<>();
    RuleStage rules = new RuleStage() {
      @Override
      public List<AlertDraft> evaluate(DeviceEvent event) {
        return List.of(raised);
      }

      @Override
      public void committed(List<AlertDraft> alerts) {
        heard.add(alerts);
      }
    };
    CompletableFuture<Void> commit = new CompletableFuture<>();
    Pipeline pipeline = new Pipeline(rules, alerts -> commit, new Counters());

    CompletableFuture<Void> accepted = pipeline.accept(event()).toCompletableFuture();
    assertThat(heard).as("nothing before the outbox commit").isEmpty();
    commit.complete(null);
    accepted.get(10, TimeUnit.SECONDS);
    assertThat(heard).containsExactly(List.of(raised));

    CompletableFuture<Void> failing = new CompletableFuture<>();
    Pipeline broken = new Pipeline(rules, alerts -> failing, new Counters());
    CompletableFuture<Void> refused = broken.accept(event()).toCompletableFuture();
    failing.completeExceptionally(new IllegalStateException("disk gone"));
    assertThat(refused).failsWithin(10, TimeUnit.SECONDS);
    assertThat(heard).as("a failed commit is never reported as committed").hasSize(1);
  }

  @Test
  void whileTooManyAlertsAreHeld_newEventsAreRefusedBeforeTheRulesSeeThem() throws Exception {
    AtomicInteger evaluations = new AtomicInteger();
    RuleStage rules = event -> {
      evaluations.incrementAndGet();
      return java.util.stream.IntStream.range(0, 1000)
          .mapToObj(i -> Drafts.alarm("gas-1", CanonicalType.GAS_LEAK, 1)).toList();
    };
    AtomicInteger refuse = new AtomicInteger(1);
    AlertStore store = alerts -> refuse.get() == 1
        ? CompletableFuture.failedFuture(new OverloadedException("outbox storage full"))
        : CompletableFuture.completedFuture(null);
    Counters counters = new Counters();
    Pipeline pipeline = new Pipeline(rules, store, counters);

    List<CompletableFuture<Void>> pending = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      pending.add(pipeline.accept(event()).toCompletableFuture());
    }
    CompletableFuture<Void> refused = pipeline.accept(event()).toCompletableFuture();

    assertThat(refused).isCompletedExceptionally();
    assertThat(evaluations).as("the refused event never reached the rules").hasValue(50);
    assertThat(counters.get("events_refused", "gas-1", "alerts_held")).isEqualTo(1);
    refuse.set(0);
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(pipeline.accept(event()).toCompletableFuture().get(10, TimeUnit.SECONDS)).isNull();
  }

  private static DeviceEvent event() {
    return new DeviceEvent(Drafts.device("gas-1"), EventKind.ALARM, CanonicalType.GAS_LEAK, 1, Phase.ACTIVE, "high",
        Instant.now(), Instant.now(), "s1", List.of(), List.of(), java.util.Map.of(), "High gas alarm");
  }
}
