package io.commguard.gateway.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.alert.v1.GatewayStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Silence by each gateway's own announced interval, reported once when it falls silent and once when it is back. */
class GatewayWatchTest {
  private final List<String> events = new ArrayList<>();
  private final GatewayWatch watch = new GatewayWatch(3, new GatewayWatch.Listener() {
    @Override
    public void status(GatewayStatus status) {
      events.add("status " + status.getGatewayId());
    }

    @Override
    public void silent(String gatewayId, long silentForMs, long intervalMs) {
      events.add("silent " + gatewayId + " " + silentForMs + " " + intervalMs);
    }

    @Override
    public void back(String gatewayId, long silentForMs) {
      events.add("back " + gatewayId + " " + silentForMs);
    }
  });

  @Test
  void gateway_silentAfterThreeOfItsIntervals_reportedOnce_thenBack() {
    watch.heard(status("gw-fast", 1_000), 0);
    watch.heard(status("gw-slow", 30_000), 0);

    watch.check(3_000);
    assertThat(watch.silent()).isEmpty();
    watch.check(3_001);
    watch.check(5_000);
    assertThat(watch.silent()).containsExactly("gw-fast");
    watch.check(90_001);
    assertThat(watch.silent()).containsExactlyInAnyOrder("gw-fast", "gw-slow");
    watch.heard(status("gw-fast", 1_000), 100_000);

    assertThat(watch.silent()).containsExactly("gw-slow");
    assertThat(events).containsExactly("status gw-fast", "status gw-slow", "silent gw-fast 3001 1000",
        "silent gw-slow 90001 30000", "back gw-fast 100000", "status gw-fast");
  }

  @Test
  void gatewaysBeyondTheCap_areNotTracked() {
    for (int i = 0; i < GatewayWatch.MAX_GATEWAYS; i++) {
      assertThat(watch.heard(status("gw-" + i, 1_000), 0)).isTrue();
    }
    assertThat(watch.heard(status("gw-one-too-many", 1_000), 0)).isFalse();
    assertThat(watch.heard(status("gw-7", 1_000), 1)).isTrue();
  }

  private static GatewayStatus status(String id, int intervalMs) {
    return GatewayStatus.newBuilder().setGatewayId(id).setIntervalMs(intervalMs).build();
  }
}
