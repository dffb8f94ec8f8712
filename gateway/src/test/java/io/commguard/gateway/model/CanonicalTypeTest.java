package io.commguard.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.alert.v1.AlertType;
import io.commguard.gateway.profile.codec.CodeRule;
import org.junit.jupiter.api.Test;

/** The Java types and the contract's enum must agree number for number, name for name. */
class CanonicalTypeTest {
  @Test
  void everyCanonicalType_isTheContractsEnumValueOfTheSameNumber() {
    for (CanonicalType t : CanonicalType.values()) {
      AlertType wire = AlertType.forNumber(t.protoNumber());
      assertThat(wire).as(t.name()).isNotNull();
      assertThat(wire.name()).isEqualTo(t == CanonicalType.UNKNOWN ? "ALERT_TYPE_UNKNOWN" : t.name());
    }
    assertThat(AlertType.values()).hasSize(CanonicalType.values().length + 1); // + UNRECOGNIZED
  }

  @Test
  void warmUp_isAStatusOfLevel4_likeMaintenance_butItsOwnType() {
    assertThat(CodeRule.defaultKind(CanonicalType.WARM_UP)).isEqualTo(EventKind.STATUS);
    assertThat(CanonicalType.WARM_UP.defaultLevel()).isEqualTo(4);
    assertThat(AlertType.forNumber(CanonicalType.WARM_UP.protoNumber())).isEqualTo(AlertType.WARM_UP);
  }
}
