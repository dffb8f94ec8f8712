package io.commguard.gateway.admin.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.admin.devices.DeviceCsv.RowError;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.model.DeviceState;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceCsvTest {
  private static final String TABLE = "id,profile,site,location,state,topic,modbusLink,modbusUnitId\r\n"
      + "gas-101,generic-nbiot-gas-detector,310115001/G-07/3/1/7F,3号楼1单元701厨房,commissioning,,,\r\n"
      + "gas-102,generic-rs485-gas-0x6000,310115001/G-07/3,地下车库B2,,,rs485-1,12\r\n";

  private static byte[] bom(byte[] body) {
    byte[] out = new byte[body.length + 3];
    out[0] = (byte) 0xEF;
    out[1] = (byte) 0xBB;
    out[2] = (byte) 0xBF;
    System.arraycopy(body, 0, out, 3, body.length);
    return out;
  }

  private static void assertTwoDevices(DeviceCsv.Parsed parsed) {
    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.rows()).extracting(DeviceCsv.Row::row).containsExactly(2, 3);
    DeviceConfig first = parsed.rows().get(0).device();
    assertThat(first.id()).isEqualTo("gas-101");
    assertThat(first.location()).isEqualTo("3号楼1单元701厨房");
    assertThat(first.state()).isEqualTo(DeviceState.COMMISSIONING);
    assertThat(first.site().communityCode()).isEqualTo("310115001");
    assertThat(first.site().floor()).isEqualTo("7F");
    assertThat(first.bindings()).isEmpty();
    DeviceConfig second = parsed.rows().get(1).device();
    assertThat(second.location()).isEqualTo("地下车库B2");
    assertThat(second.binding("modbus").get("link").asText()).isEqualTo("rs485-1");
    assertThat(second.binding("modbus").get("unitId").asInt()).isEqualTo(12);
    assertThat(parsed.rows().get(1).stateGiven()).isFalse();
    assertThat(second.state()).isEqualTo(DeviceState.ENABLED);
  }

  @Test
  void parse_utf8WithBom_readsChineseText() {
    assertTwoDevices(DeviceCsv.parse(bom(TABLE.getBytes(StandardCharsets.UTF_8)), Messages.EN));
  }

  @Test
  void parse_plainUtf8_readsChineseText() {
    assertTwoDevices(DeviceCsv.parse(TABLE.getBytes(StandardCharsets.UTF_8), Messages.EN));
  }

  @Test
  void parse_gb18030Bytes_readsChineseText() {
    byte[] gb = TABLE.getBytes(Charset.forName("GB18030"));
    assertThat(new String(gb, StandardCharsets.UTF_8)).as("the bytes are not UTF-8").doesNotContain("厨房");

    assertTwoDevices(DeviceCsv.parse(gb, Messages.EN));
  }

  @Test
  void parse_bytesNeitherUtf8NorGb18030_isOneFileError() {
    byte[] bad = {'i', 'd', ',', (byte) 0x80, (byte) 0xFF, '\n'};

    DeviceCsv.Parsed parsed = DeviceCsv.parse(bad, Messages.EN);

    assertThat(parsed.rows()).isEmpty();
    assertThat(parsed.errors()).singleElement().satisfies(e -> {
      assertThat(e.row()).isZero();
      assertThat(e.reason()).contains("neither UTF-8 nor GB18030");
    });
  }

  @Test
  void parse_badRows_reportsEveryProblemWithRowAndColumn() {
    String csv = "ID,Profile,State,modbusLink,modbusUnitId,topic\n"
        + "ok-1,p,,,,\n"
        + ",p,,,,\n"
        + "bad id!,p,,,,\n"
        + "ok-1,,paused,,,\n"
        + "\n"
        + "m-1,p,,bus,999,devices/m-1/#\n"
        + ",,,,,\n";

    DeviceCsv.Parsed parsed = DeviceCsv.parse(csv.getBytes(StandardCharsets.UTF_8), Messages.EN);

    assertThat(parsed.rows()).extracting(r -> r.device().id()).containsExactly("ok-1");
    assertThat(parsed.errors()).extracting(RowError::row, RowError::column).containsExactly(
        org.assertj.core.groups.Tuple.tuple(3, "id"),
        org.assertj.core.groups.Tuple.tuple(4, "id"),
        org.assertj.core.groups.Tuple.tuple(5, "id"),
        org.assertj.core.groups.Tuple.tuple(5, "profile"),
        org.assertj.core.groups.Tuple.tuple(5, "state"),
        org.assertj.core.groups.Tuple.tuple(7, "modbusUnitId"),
        org.assertj.core.groups.Tuple.tuple(7, "topic"));
    assertThat(parsed.errors().get(2).reason()).isEqualTo("device id \"ok-1\" appears again (first on row 2)");
    assertThat(parsed.errors().get(4).reason()).contains("paused");
  }

  @Test
  void parse_badRow_inChinese() {
    String csv = "id,profile,state\nx,p,paused\n";

    List<RowError> errors = DeviceCsv.parse(csv.getBytes(StandardCharsets.UTF_8), Messages.forAcceptLanguage("zh-CN,zh;q=0.9")).errors();

    assertThat(errors).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo(
        "必须是 enabled、commissioning 或 disabled；实际为“paused”"));
  }

  @Test
  void parse_headerWithoutRequiredColumnsOrWithUnknownOnes_isRefusedAsAWhole() {
    String csv = "id,location,colour\nx,here,red\n";

    DeviceCsv.Parsed parsed = DeviceCsv.parse(csv.getBytes(StandardCharsets.UTF_8), Messages.EN);

    assertThat(parsed.rows()).isEmpty();
    assertThat(parsed.errors()).extracting(RowError::row, RowError::column).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1, "colour"), org.assertj.core.groups.Tuple.tuple(1, "profile"));
  }

  @Test
  void write_thenParse_roundTrips() {
    DeviceCsv.Parsed first = DeviceCsv.parse(TABLE.getBytes(StandardCharsets.UTF_8), Messages.EN);

    byte[] written = DeviceCsv.write(first.rows().stream().map(DeviceCsv.Row::device).toList());

    assertThat(written).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
    DeviceCsv.Parsed again = DeviceCsv.parse(written, Messages.EN);
    assertThat(again.errors()).isEmpty();
    assertThat(again.rows()).extracting(DeviceCsv.Row::device)
        .containsExactlyElementsOf(first.rows().stream().map(DeviceCsv.Row::device).toList());
  }

  @Test
  void template_isTheHeaderRowWithBom() {
    assertThat(new String(DeviceCsv.template(), StandardCharsets.UTF_8))
        .isEqualTo("\uFEFFid,profile,site,location,state,topic,modbusLink,modbusUnitId\r\n");
  }

  @Test
  void credentials_areIdAndPasswordRows() {
    assertThat(DeviceCsv.credentials(Map.of("gas-1", "abc"))).isEqualTo("id,password\r\ngas-1,abc\r\n");
  }
}
