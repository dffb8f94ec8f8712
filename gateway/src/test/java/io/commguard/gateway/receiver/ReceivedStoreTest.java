package io.commguard.gateway.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.alert.v1.Alert;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.outbox.Drafts;
import io.commguard.gateway.wire.AlertEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceivedStoreTest {
  @TempDir Path dir;

  private static Alert alert(long sequence) {
    return AlertEncoder.encode(Drafts.alarm("gas-7", CanonicalType.GAS_LEAK, 1), sequence, "gw-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"alerts.db", "alerts.jsonl"})
  void store_keepsEachGatewaySequenceOnce_evenAcrossReopen(String name) throws Exception {
    Path file = dir.resolve(name);
    Alert a1 = alert(1);
    Alert a2 = alert(2);
    try (ReceivedStore store = ReceivedStore.open(file)) {
      assertThat(store.store(List.of(a1, a2))).containsExactly(a1, a2);
      assertThat(store.store(List.of(a2))).isEmpty();
    }
    try (ReceivedStore store = ReceivedStore.open(file)) {
      assertThat(store.store(List.of(a1, alert(3)))).extracting(Alert::getSequence).containsExactly(3L);
    }
  }

  @Test
  void jsonLines_holdOneAlertPerLine_withProtoFieldNames() throws Exception {
    Path file = dir.resolve("alerts.jsonl");
    try (ReceivedStore store = ReceivedStore.open(file)) {
      store.store(List.of(alert(1)));
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("\"gateway_id\":\"gw-1\"", "\"sequence\":1", "\"type\":\"GAS_LEAK\"",
        "\"community_code\":\"310115001\"", "\"unit\":\"%LEL\"");
  }

  @Test
  void printer_showsLevelTypeStatePlaceAndId() {
    Alert a = alert(42);
    assertThat(AlertPrinter.line(a))
        .contains(" L1 GAS_LEAK RAISED gw-1#42 gas-7 @310115001/G-07 B3-2-5F-502 concentration=31.5%LEL")
        .endsWith("id=" + a.getAlertId());
  }
}
