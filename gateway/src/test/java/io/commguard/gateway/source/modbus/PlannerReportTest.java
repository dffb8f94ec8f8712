package io.commguard.gateway.source.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.source.modbus.map.ModbusProfile;
import io.commguard.gateway.source.modbus.map.PointGroup;
import io.commguard.gateway.source.modbus.map.ReadPlanner;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The planner report of docs/modbus.md: for each shipped profile, requests per poll cycle of every
 * group with the planner versus one request per point. A change to a profile or to the planner
 * that moves these figures must update the doc.
 */
class PlannerReportTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "honeywell/midas                  | alarm=1/4 settings=1/3",
    "generic/rs485-gas-0x6000         | alarm=1/3",
    "generic/reading-decimals-sensor  | reading=1/2",
  })
  void requestsPerCycle_plannerVersusOnePerPoint(String folder, String expected) {
    ModbusProfile profile = TestProfiles.shipped(folder);
    List<String> parts = new ArrayList<>();
    for (PointGroup g : profile.groups()) {
      int planned = ReadPlanner.plan(g.points(), profile.maxFill()).size();
      parts.add(g.name() + "=" + planned + "/" + g.points().size());
    }
    String report = String.join(" ", parts);
    System.out.println("Planner report " + folder + ": " + report + " (requests with planner / one per point)");
    assertThat(report).isEqualTo(expected);
  }
}
