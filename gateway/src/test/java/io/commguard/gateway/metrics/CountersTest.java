package io.commguard.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountersTest {
  @Test
  void labelledAndPlainCounters_showAsTheMetricsEndpointPrintsThem() {
    Counters c = new Counters();
    c.increment("messages_in");
    c.add("messages_in", 2);
    c.increment("rejected", "cam-1", "malformed_json");
    c.increment("rejected", "cam-1", "malformed_json");
    c.increment("rejected", "gas-2", "oversized_payload");

    assertThat(c.snapshot()).containsExactly(
        java.util.Map.entry("messages_in", 3L),
        java.util.Map.entry("rejected{device=cam-1,reason=malformed_json}", 2L),
        java.util.Map.entry("rejected{device=gas-2,reason=oversized_payload}", 1L));
    assertThat(c.get("rejected", "cam-1", "malformed_json")).isEqualTo(2);
    assertThat(c.get("rejected", "cam-2", "malformed_json")).isZero();
    assertThat(c.total("rejected")).isEqualTo(3);
    assertThat(c.total("reject")).as("a prefix of a name is another name").isZero();
  }
}
