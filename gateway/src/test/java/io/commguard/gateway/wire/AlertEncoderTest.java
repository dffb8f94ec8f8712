package io.commguard.gateway.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.alert.v1.Alert;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.model.AlertState;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.privacy.HashKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertEncoderTest {
  private static final Instant T = Instant.parse("2026-11-22T02:00:00Z");

  @Test
  void hashKeyId_travelsInItsOwnField_notAsAnAttribute() throws Exception {
    AlertDraft d = new AlertDraft("a1", new DeviceRef("door-1", "p", "m", null, null), EventKind.ACCESS,
        CanonicalType.ACCESS_GRANTED, 4, AlertState.RAISED, "5/0x01", T, T, List.of(), List.of(),
        Map.of("cardNo", "8566838dd62c1a9816762e443ff5ac02", HashKey.ID_ATTRIBUTE, "630dcd29"), "");
    Alert a = Alert.parseFrom(AlertEncoder.encode(d, 7, "gw-1").toByteArray());
    assertThat(a.getHashKeyId()).isEqualTo("630dcd29");
    assertThat(a.getAttributesMap()).containsOnlyKeys("cardNo");
  }

  @Test
  void alertWithoutHashes_hasNoKeyId() throws Exception {
    AlertDraft d = new AlertDraft("a1", new DeviceRef("gas-1", "p", "m", null, null), EventKind.ALARM,
        CanonicalType.GAS_LEAK, 1, AlertState.RAISED, "high", T, T, List.of(), List.of(), Map.of(), "");
    assertThat(AlertEncoder.encode(d, 7, "gw-1").getHashKeyId()).isEmpty();
  }
}
