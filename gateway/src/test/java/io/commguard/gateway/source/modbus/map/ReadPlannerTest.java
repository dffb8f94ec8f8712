package io.commguard.gateway.source.modbus.map;

import static io.commguard.gateway.source.modbus.map.Points.reg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadPlannerTest {

  private static String ranges(List<ReadRequest> plan) {
    return String.join(" ", plan.stream().map(r -> r.table().name().charAt(0) + "" + r.address() + "+" + r.quantity()).toList());
  }

  @Test
  void contiguousPoints_mergeIntoOneRequest() {
    List<ReadRequest> plan = ReadPlanner.plan(List.of(
        reg("a", 0, ValueType.UINT16), reg("b", 1, ValueType.FLOAT32), reg("c", 3, ValueType.UINT16)), 0);
    assertThat(ranges(plan)).isEqualTo("H0+4");
    assertThat(plan.get(0).points()).extracting(RegisterPoint::name).containsExactly("a", "b", "c");
  }

  @Test
  void gapWithinMaxFill_isBridged() {
    List<ReadRequest> plan = ReadPlanner.plan(List.of(reg("a", 0, ValueType.UINT16), reg("b", 5, ValueType.UINT16)), 4);
    assertThat(ranges(plan)).isEqualTo("H0+6");
    assertThat(plan.get(0).indexOf(plan.get(0).points().get(1))).isEqualTo(5);
  }

  @Test
  void gapOverMaxFill_splits() {
    List<ReadRequest> plan = ReadPlanner.plan(List.of(reg("a", 0, ValueType.UINT16), reg("b", 6, ValueType.UINT16)), 4);
    assertThat(ranges(plan)).isEqualTo("H0+1 H6+1");
  }

  @Test
  void zeroFill_mergesOnlyExactlyContiguous() {
    List<ReadRequest> plan = ReadPlanner.plan(List.of(
        reg("a", 0, ValueType.UINT16), reg("b", 1, ValueType.UINT16), reg("c", 3, ValueType.UINT16)), 0);
    assertThat(ranges(plan)).isEqualTo("H0+2 H3+1");
  }

  @Test
  void unsortedInput_isSortedByAddress() {
    List<ReadRequest> plan = ReadPlanner.plan(List.of(reg("c", 4, ValueType.UINT16), reg("a", 0, ValueType.UINT32)), 8);
    assertThat(ranges(plan)).isEqualTo("H0+5");
  }

  @Test
  void bitsOfOneRegister_shareOneRead() {
    List<ReadRequest> plan = ReadPlanner.plan(List.of(
        Points.bit("low", 0, 6), Points.bit("high", 0, 7), reg("status", 0, ValueType.UINT16)), 0);
    assertThat(ranges(plan)).isEqualTo("H0+1");
    assertThat(plan.get(0).points()).hasSize(3);
  }

  @Test
  void registerCap_neverExceeded() {
    List<RegisterPoint> points = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      points.add(reg("p" + i, i, ValueType.UINT16));
    }
    List<ReadRequest> plan = ReadPlanner.plan(points, 8);
    assertThat(ranges(plan)).isEqualTo("H0+125 H125+125 H250+50");
  }

  @Test
  void multiRegisterPoint_neverCutByTheCap() {
    List<RegisterPoint> points = new ArrayList<>();
    for (int i = 0; i < 62; i++) {
      points.add(reg("p" + i, i * 2, ValueType.FLOAT32));
    }
    points.add(reg("last", 124, ValueType.FLOAT32)); // would end at 126 > 125
    List<ReadRequest> plan = ReadPlanner.plan(points, 0);
    assertThat(ranges(plan)).isEqualTo("H0+124 H124+2");
  }

  @Test
  void bitCap_is2000() {
    List<RegisterPoint> points = new ArrayList<>();
    for (int i = 0; i < 2001; i++) {
      points.add(Points.coil("c" + i, Table.COIL, i));
    }
    assertThat(ranges(ReadPlanner.plan(points, 0))).isEqualTo("C0+2000 C2000+1");
  }

  @Test
  void tables_areNeverMixed() {
    List<ReadRequest> plan = ReadPlanner.plan(List.of(
        reg("h", 0, ValueType.UINT16),
        Points.coil("c", Table.COIL, 1),
        Points.coil("d", Table.DISCRETE_INPUT, 2)), 8);
    assertThat(plan).hasSize(3);
    assertThat(plan).extracting(ReadRequest::table)
        .containsExactlyInAnyOrder(Table.HOLDING_REGISTER, Table.COIL, Table.DISCRETE_INPUT);
  }

  @Test
  void split_fallsBackToOneRequestPerAddressRange() {
    ReadRequest merged = ReadPlanner.plan(List.of(
        Points.bit("low", 0, 6), Points.bit("high", 0, 7),
        reg("conc", 2, ValueType.FLOAT32), reg("unit", 6, ValueType.UINT16)), 8).get(0);
    assertThat(merged.quantity()).isEqualTo(7);
    List<ReadRequest> split = ReadPlanner.split(merged);
    assertThat(ranges(split)).isEqualTo("H0+1 H2+2 H6+1");
    assertThat(split.get(0).points()).extracting(RegisterPoint::name).containsExactlyInAnyOrder("low", "high");
  }

  @Test
  void negativeFill_isRejected() {
    assertThatThrownBy(() -> ReadPlanner.plan(List.of(), -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
