package io.commguard.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
  enum Table { COIL, HOLDING_REGISTER }

  @ParameterizedTest
  @ValueSource(strings = {"HOLDING_REGISTER", "holding_register", "holdingRegister", "HoldingRegister", "holding-register", " holdingregister "})
  void enumValue_inAnyCase_withOrWithoutSeparators(String spelt) {
    assertThat(Names.enumConstant(Table.class, spelt)).isEqualTo(Table.HOLDING_REGISTER);
  }

  @Test
  void unknownEnumValue_isNone() {
    assertThat(Names.enumConstant(Table.class, "holding register 2")).isNull();
    assertThat(Names.enumConstant(Table.class, "")).isNull();
  }

  @Test
  void typo_getsTheClosestName_farOffGetsNone() {
    List<String> keys = List.of("table", "address", "type", "byteOrder");
    assertThat(Names.didYouMean("tabel", keys)).isEqualTo("; did you mean 'table'?");
    assertThat(Names.didYouMean("adress", keys)).isEqualTo("; did you mean 'address'?");
    assertThat(Names.didYouMean("byte_order", keys)).isEqualTo("; did you mean 'byteOrder'?");
    assertThat(Names.didYouMean("colour", keys)).isEmpty();
    assertThat(Names.didYouMean("csv", List.of("JSON", "XML", "KV", "AUTO"))).isEmpty();
  }
}
