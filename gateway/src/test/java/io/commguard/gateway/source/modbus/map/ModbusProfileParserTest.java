package io.commguard.gateway.source.modbus.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.validation.Problem;
import io.commguard.gateway.validation.ProblemCollector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModbusProfileParserTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final ModbusProfileParser parser = new ModbusProfileParser();

  static ModbusProfile shipped(String folder) throws Exception {
    Path file = Path.of(System.getProperty("profiles.dir", "../device-profiles"), folder, "profile.yaml");
    JsonNode root = YAML.readTree(file.toFile());
    ProblemCollector problems = new ProblemCollector(file.toString());
    ModbusProfile profile = new ModbusProfileParser().parse(root.get("modbus"), problems);
    assertThat(problems.problems()).isEmpty();
    return profile;
  }

  private List<Problem> problemsOf(String yaml) throws Exception {
    ProblemCollector problems = new ProblemCollector("p.yaml");
    ModbusProfile profile = parser.parse(YAML.readTree(yaml), problems);
    if (!problems.isEmpty()) {
      assertThat(profile).isNull();
    }
    return problems.problems();
  }

  private ModbusProfile parse(String yaml) throws Exception {
    ProblemCollector problems = new ProblemCollector("p.yaml");
    ModbusProfile profile = parser.parse(YAML.readTree(yaml), problems);
    assertThat(problems.problems()).isEmpty();
    return profile;
  }

  @Test
  void midas_parsesGroupsPointsAndConditions() throws Exception {
    ModbusProfile p = shipped("honeywell/midas");
    assertThat(p.groups()).extracting(PointGroup::name).containsExactly("alarm", "settings");
    assertThat(p.groups().get(0).pollInterval()).isEqualTo(Duration.ofSeconds(1));
    RegisterPoint conc = p.pointsByName().get("concentration");
    assertThat(conc.address()).isEqualTo(2);
    assertThat(conc.type()).isEqualTo(ValueType.FLOAT32);
    assertThat(conc.byteOrder().pattern()).isEqualTo("CDAB");
    assertThat(conc.role()).isEqualTo(RegisterPoint.Role.MEASUREMENT);
    Condition high = p.conditions().get(1);
    assertThat(high.id()).isEqualTo("high_alarm");
    assertThat(high.kind()).isEqualTo(EventKind.ALARM);
    assertThat(high.type()).isEqualTo(CanonicalType.GAS_LEAK);
    assertThat(high.level()).isEqualTo(1);
    assertThat(high.nativeCode()).isEqualTo("status.b7");
    assertThat(high.episode()).as("low and high alarm are one episode").isEqualTo(p.conditions().get(2).episode())
        .isEqualTo("gas");
    assertThat(p.conditions().get(0).episode()).as("defaults to the id").isEqualTo("fault");
    assertThat(p.conditions().get(0).nativeCodeFrom()).isEqualTo("faultNumber");
  }

  @Test
  void rs485Module_hexAddressesAndFixedDecimals() throws Exception {
    ModbusProfile p = shipped("generic/rs485-gas-0x6000");
    Map<String, RegisterPoint> points = p.pointsByName();
    assertThat(points.get("status").address()).isEqualTo(0x6000);
    assertThat(points.get("concentration").decimals()).isEqualTo(1);
    assertThat(points.get("runStatus").address()).isEqualTo(0x6006);
    assertThat(p.conditions().get(0).nativeCode()).isEqualTo("status.b15=1&status.b5");
  }

  @Test
  void simpleSensor_decimalsFromAnotherRegister() throws Exception {
    ModbusProfile p = shipped("generic/reading-decimals-sensor");
    assertThat(p.pointsByName().get("reading").decimalsFrom()).isEqualTo("decimals");
    assertThat(p.pointsByName().get("decimals").address()).isEqualTo(0x1E);
    assertThat(p.conditions()).isEmpty();
  }

  @Test
  void oneBasedAndModiconAddresses_resolveToTheSameWireAddress() throws Exception {
    ModbusProfile one = parse("""
        addressBase: ONE
        groups: [{name: g, points: [{name: a, address: 1}, {name: b, table: INPUT_REGISTER, address: 10}]}]
        """);
    ModbusProfile modicon = parse("""
        addressBase: MODICON
        groups: [{name: g, points: [{name: a, address: 40001}, {name: b, address: "300010"}]}]
        """);
    assertThat(one.pointsByName().get("a").address()).isZero();
    assertThat(modicon.pointsByName().get("a").address()).isZero();
    assertThat(modicon.pointsByName().get("a").table()).isEqualTo(Table.HOLDING_REGISTER);
    assertThat(one.pointsByName().get("b").address()).isEqualTo(9);
    assertThat(modicon.pointsByName().get("b").address()).isEqualTo(9);
    assertThat(modicon.pointsByName().get("b").table()).isEqualTo(Table.INPUT_REGISTER);
  }

  @Test
  void fourLetterOrder_onFloat64_isExtended() throws Exception {
    ModbusProfile p = parse("""
        addressBase: ZERO
        byteOrder: CDAB
        groups: [{name: g, points: [{name: d, address: 0, type: FLOAT64}, {name: s, address: 8, type: INT16}]}]
        """);
    assertThat(p.pointsByName().get("d").byteOrder().pattern()).isEqualTo("GHEFCDAB");
    assertThat(p.pointsByName().get("s").byteOrder().pattern()).isEqualTo("AB");
  }

  @Test
  void enumValues_inAnyCase_withOrWithoutSeparators() throws Exception {
    ModbusProfile p = parse("""
        addressBase: zero
        groups: [{name: g, points: [{name: a, table: holdingRegister, address: 0, type: uint16},
                                    {name: b, table: input-register, address: 1, type: Float32}]}]
        """);
    assertThat(p.pointsByName().get("a").table()).isEqualTo(Table.HOLDING_REGISTER);
    assertThat(p.pointsByName().get("b").table()).isEqualTo(Table.INPUT_REGISTER);
    assertThat(p.pointsByName().get("b").type()).isEqualTo(ValueType.FLOAT32);
  }

  @Test
  void misspeltKeysAndValues_getASuggestion() throws Exception {
    List<Problem> problems = problemsOf("""
        addressBase: ZERO
        groups: [{name: g, points: [{name: a, tabel: COIL, address: 0}, {name: b, table: holdingRegistr, address: 1}]}]
        """);
    assertThat(problems).extracting(Problem::toString)
        .anySatisfy(m -> assertThat(m).startsWith("p.yaml: modbus.groups[0].points[0].tabel: unknown key; did you mean 'table'?; allowed: "))
        .contains("p.yaml: modbus.groups[0].points[1].table: must be one of COIL, DISCRETE_INPUT, INPUT_REGISTER, HOLDING_REGISTER,"
            + " was 'holdingRegistr'; did you mean 'HOLDING_REGISTER'?");
  }

  @Test
  void missingAddressBase_isRejectedWithReason() throws Exception {
    assertThat(problemsOf("groups: [{name: g, points: [{name: a, address: 0}]}]"))
        .extracting(Problem::path).contains("modbus.addressBase");
  }

  @Test
  void everyProblem_isReportedWithItsPath() throws Exception {
    List<Problem> problems = problemsOf("""
        addressBase: ZERO
        colour: blue
        groups:
          - name: g
            pollIntervalMs: 5
            points:
              - {name: a, address: 70000}
              - {name: b, address: 1, type: FLOAT33}
              - {name: c, address: 2, type: BIT}
              - {name: d, address: 3, type: INT64, byteOrder: ABCDX}
              - {name: e, address: 4, type: FLOAT32, decimals: 1, decimalsFrom: a}
              - {name: a, address: 5}
              - {name: f, address: 6, type: INT32, byteOrder: AB}
              - {name: g, table: COIL, address: 7, type: UINT16}
              - {name: h, address: 8}
              - {name: h, address: 9}
        conditions:
          - id: x
            state: low alarm
            kind: TELEMETRY
            type: GAS_LEAKING
            when: [{point: nope, bit: 1}, {point: b, mask: 3, bit: 2}]
        """);
    assertThat(problems).extracting(Problem::path).contains(
        "modbus.colour",
        "modbus.groups[0].pollIntervalMs",
        "modbus.groups[0].points[0].address",
        "modbus.groups[0].points[1].type",
        "modbus.groups[0].points[2].bit",
        "modbus.groups[0].points[3].byteOrder",
        "modbus.groups[0].points[4]",
        "modbus.groups[0].points[9].name",
        "modbus.groups[0].points[6].byteOrder",
        "modbus.groups[0].points[7].type",
        "modbus.conditions[0].state",
        "modbus.conditions[0].kind",
        "modbus.conditions[0].type",
        "modbus.conditions[0].when[0].point",
        "modbus.conditions[0].when[1]");
    assertThat(problems).allSatisfy(pr -> assertThat(pr.file()).isEqualTo("p.yaml"));
  }

  @Test
  void decimalsFrom_mustBeInTheSameGroup() throws Exception {
    List<Problem> problems = problemsOf("""
        addressBase: ZERO
        groups:
          - {name: fast, points: [{name: r, address: 0, decimalsFrom: dec}]}
          - {name: slow, pollIntervalMs: 60000, points: [{name: dec, address: 30}]}
        """);
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("modbus.groups[0].points[0].decimalsFrom");
      assertThat(p.reason()).contains("same group");
    });
  }

  @Test
  void condition_onFloatPoint_isRejected() throws Exception {
    List<Problem> problems = problemsOf("""
        addressBase: ZERO
        groups: [{name: g, points: [{name: f, address: 0, type: FLOAT32}]}]
        conditions: [{id: c, state: HIGH, type: GAS_LEAK, when: [{point: f, equals: 1}]}]
        """);
    assertThat(problems).extracting(Problem::reason).anyMatch(r -> r.contains("integer type"));
  }

  @Test
  void episode_sharedByConditionsOfAnotherType_isRejected() throws Exception {
    List<Problem> problems = problemsOf("""
        addressBase: ZERO
        groups: [{name: g, points: [{name: s, address: 0}]}]
        conditions:
          - {id: high, episode: gas, state: HIGH, kind: ALARM, type: GAS_LEAK, when: [{point: s, bit: 7}]}
          - {id: broken, episode: gas, state: FAULT, type: DEVICE_FAULT, when: [{point: s, bit: 4}]}
          - {id: low, episode: "gas 1", state: LOW, kind: ALARM, type: GAS_LEAK, when: [{point: s, bit: 6}]}
        """);
    assertThat(problems).extracting(p -> p.path() + ": " + p.reason()).satisfiesExactly(
        r -> assertThat(r).startsWith("modbus.conditions[1].episode: episode 'gas' is ALARM GAS_LEAK (condition 'high')"),
        r -> assertThat(r).startsWith("modbus.conditions[2].episode: must start with a letter"));
  }
}
