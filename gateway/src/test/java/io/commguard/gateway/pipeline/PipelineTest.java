package io.commguard.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.outbox.Drafts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One decision per call, committed as one unit; admission before the rules; retransmissions recognised. */
class PipelineTest {
  private final AtomicInteger evaluations = new AtomicInteger();
  private final RuleStage rules = new RuleStage() {
    @Override
    public List<AlertDraft> evaluate(DeviceEvent event) {
      evaluations.incrementAndGet();
      return List.of(Drafts.alarm(event.deviceId(), CanonicalType.GAS_LEAK, 1));
    }

    @Override
    public StateChanges drainChanges() {
      return new StateChanges(Map.of("episode/gas-1/x", "{\"n\":" + evaluations.get() + "}"), List.of());
    }
  };
  private final List<Decision> committed = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> commits = new CopyOnWriteArrayList<>();
  private final AtomicBoolean room = new AtomicBoolean(true);
  private final AlertStore store = new AlertStore() {
    @Override
    public CompletionStage<Void> commit(Decision decision) {
      committed.add(decision);
      CompletableFuture<Void> f = new CompletableFuture<>();
      commits.add(f);
      return f;
    }

    @Override
    public boolean hasRoom() {
      return room.get();
    }
  };
  private final Counters counters = new Counters();

  @Test
  void alertsStateAndReceipt_ofOneCall_areOneDecision_completedByItsCommit() {
    Pipeline pipeline = new Pipeline(rules, store, counters);
    Receipt receipt = receipt(7, false, "high");
    CompletableFuture<Void> accepted = pipeline.accept(List.of(event(), event()), receipt).toCompletableFuture();

    assertThat(committed).singleElement().satisfies(d -> {
      assertThat(d.alerts()).hasSize(2);
      assertThat(d.state().values()).containsEntry("episode/gas-1/x", "{\"n\":2}");
      assertThat(d.receipt()).isEqualTo(receipt);
    });
    assertThat(accepted).isNotDone();
    commits.get(0).complete(null);
    assertThat(accepted).isCompleted();
  }

  @Test
  void withoutRoom_eventsAreRefusedBeforeTheRulesSeeThem() {
    Pipeline pipeline = new Pipeline(rules, store, counters);
    room.set(false);
    assertThat(pipeline.accept(event()).toCompletableFuture()).isCompletedExceptionally();
    assertThat(evaluations).hasValue(0);
    assertThat(committed).isEmpty();
    assertThat(counters.get("events_refused", "gas-1", "queue_full")).isEqualTo(1);
  }

  @Test
  void retransmission_ofACommittedPublish_isAcknowledgedWithoutASecondDecision() {
    Pipeline pipeline = new Pipeline(rules, store, counters);
    CompletableFuture<Void> first = pipeline.accept(List.of(event()), receipt(7, false, "high")).toCompletableFuture();
    CompletableFuture<Void> whileCommitting = pipeline.accept(List.of(event()), receipt(7, true, "high")).toCompletableFuture();
    assertThat(whileCommitting).as("waits for the first processing's commit").isNotDone();
    commits.get(0).complete(null);
    assertThat(first).isCompleted();
    assertThat(whileCommitting).isCompleted();

    assertThat(pipeline.accept(List.of(event()), receipt(7, true, "high")).toCompletableFuture()).isCompleted();
    assertThat(evaluations).as("decided once").hasValue(1);
    assertThat(committed).hasSize(1);
    assertThat(counters.get("publishes_retransmitted", "gas-1", "committed")).isEqualTo(1);
    assertThat(counters.get("publishes_retransmitted", "gas-1", "committing")).isEqualTo(1);

    pipeline.accept(List.of(event()), receipt(7, true, "normal"));
    pipeline.accept(List.of(event()), receipt(7, false, "high"));
    assertThat(evaluations).as("another payload, or no DUP flag: a new publish").hasValue(3);
  }

  @Test
  void retransmission_whoseFirstProcessingDidNotCommit_isDecidedAgain() {
    Pipeline pipeline = new Pipeline(rules, store, counters);
    pipeline.accept(List.of(event()), receipt(9, false, "high"));
    commits.get(0).completeExceptionally(new IllegalStateException("disk gone"));
    pipeline.accept(List.of(event()), receipt(9, true, "high"));
    assertThat(evaluations).hasValue(2);
    assertThat(committed).hasSize(2);
  }

  @Test
  void receiptsCommittedBeforeARestart_areRecognised() {
    Receipt before = receipt(3, false, "high");
    Pipeline pipeline = new Pipeline(rules, store, counters, Map.of("gas-1", List.of(before.identity())));
    assertThat(pipeline.accept(List.of(event()), receipt(3, true, "high")).toCompletableFuture()).isCompleted();
    assertThat(evaluations).hasValue(0);
  }

  private static Receipt receipt(int packetId, boolean dup, String payload) {
    return Receipt.of("gas-1", packetId, dup, "devices/gas-1/report", payload.getBytes(StandardCharsets.UTF_8));
  }

  private static DeviceEvent event() {
    return new DeviceEvent(Drafts.device("gas-1"), EventKind.ALARM, CanonicalType.GAS_LEAK, 1, Phase.ACTIVE, "high",
        Instant.now(), Instant.now(), "s1", List.of(), List.of(), Map.of(), "High gas alarm");
  }
}
