package io.commguard.gateway.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.pipeline.AlertStore;
import io.commguard.gateway.pipeline.Decision;
import io.commguard.gateway.pipeline.Pipeline;
import io.commguard.gateway.rule.spec.GatewayRules;
import io.commguard.gateway.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** An operator's maintenance change is confirmed only once the engine applied it and its commit is durable. */
class MaintenanceCommitTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
  private final RuleEngine engine = new RuleEngine("gw-1", List.of(new DeviceConfig("gas-1", "p1", null, null, null)),
      GatewayRules.NONE, Map.of(), new RuleStateStore(Map.of()), clock, new Counters(), () -> "id-1");
  private final List<Decision> decisions = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> commits = new CopyOnWriteArrayList<>();
  private final Pipeline pipeline = new Pipeline(engine, new AlertStore() {
    @Override
    public CompletionStage<Void> commit(Decision decision) {
      decisions.add(decision);
      CompletableFuture<Void> f = new CompletableFuture<>();
      commits.add(f);
      return f;
    }

    @Override
    public boolean hasRoom() {
      return true;
    }
  }, new Counters());

  @Test
  void enterMaintenance_completesWithTheWindow_onlyAfterItsCommit() {
    CompletableFuture<MaintenanceControl.Window> entered = engine.enterMaintenance(MaintenanceScope.device("gas-1"),
        clock.instant().plus(Duration.ofHours(2))).toCompletableFuture();
    assertThat(entered).as("queued, not applied").isNotDone();

    pipeline.tick(clock.instant());
    assertThat(decisions).singleElement().satisfies(d -> {
      assertThat(d.alerts()).extracting(a -> a.type()).containsExactly(CanonicalType.MAINTENANCE);
      assertThat(d.state().values()).containsKey("maintenance/device:gas-1");
    });
    assertThat(entered).as("applied, not yet durable").isNotDone();

    commits.get(0).complete(null);
    assertThat(entered).isCompleted();
    MaintenanceControl.Window window = entered.join();
    assertThat(window.scope()).isEqualTo("device:gas-1");
    assertThat(window.since()).isEqualTo(clock.instant());
    assertThat(window.until()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));
    assertThat(engine.maintenanceWindows()).containsExactly(window);
  }

  @Test
  void leaveMaintenance_failsWhenItsCommitFails_andSaysWhenNothingWasOpen() {
    CompletableFuture<Optional<MaintenanceControl.Window>> nothing =
        engine.leaveMaintenance(MaintenanceScope.device("gas-1")).toCompletableFuture();
    pipeline.tick(clock.instant());
    assertThat(nothing).as("nothing to write: confirmed at once").isCompletedWithValue(Optional.empty());

    engine.enterMaintenance(MaintenanceScope.device("gas-1"), clock.instant().plus(Duration.ofHours(1)));
    pipeline.tick(clock.instant());
    commits.get(0).complete(null);
    CompletableFuture<Optional<MaintenanceControl.Window>> left =
        engine.leaveMaintenance(MaintenanceScope.device("gas-1")).toCompletableFuture();
    pipeline.tick(clock.instant());
    commits.get(1).completeExceptionally(new IllegalStateException("disk full"));
    assertThat(left).isCompletedExceptionally();
  }
}
