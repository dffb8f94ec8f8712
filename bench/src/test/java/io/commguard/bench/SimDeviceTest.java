package io.commguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimDeviceTest {
  @Test
  void aFleetsAlarms_areSpreadOverTheCycle_notRaisedInTheSameRound() {
    List<SimDevice> fleet = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      fleet.add(new SimDevice(String.format("dev-%04d", i), DeviceKind.GAS, 0.1));
    }
    int[] raisesPerRound = new int[10];
    for (int round = 0; round < 10; round++) {
      for (SimDevice d : fleet) {
        if (new String(d.next(1).payload(), StandardCharsets.UTF_8).contains("\"status\":\"high\"")) {
          raisesPerRound[round]++;
        }
      }
    }
    int total = 0;
    for (int n : raisesPerRound) {
      total += n;
      assertThat(n).as("raises in one round").isLessThan(300);
    }
    assertThat(total).as("each detector raises once in its 10-report cycle").isEqualTo(1000);
  }
}
