package io.commguard.gateway.source.modbus.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Known vectors (computed independently with Python's struct module) for every type and order. */
class RegisterCodecTest {

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "FLOAT32, ABCD, 42f6e979, 123.456",
    "FLOAT32, CDAB, e97942f6, 123.456",
    "FLOAT32, BADC, f64279e9, 123.456",
    "FLOAT32, DCBA, 79e9f642, 123.456",
    "INT32, ABCD, f8a432eb, -123456789",
    "INT32, CDAB, 32ebf8a4, -123456789",
    "INT32, BADC, a4f8eb32, -123456789",
    "INT32, DCBA, eb32a4f8, -123456789",
    "UINT32, ABCD, b2d05e00, 3000000000",
    "UINT32, CDAB, 5e00b2d0, 3000000000",
    "UINT32, BADC, d0b2005e, 3000000000",
    "UINT32, DCBA, 005ed0b2, 3000000000",
    "INT64, ABCDEFGH, eeddef0b82167eeb, -1234567890123456789",
    "INT64, GHEFCDAB, 7eeb8216ef0beedd, -1234567890123456789",
    "INT64, BADCFEHG, ddee0bef1682eb7e, -1234567890123456789",
    "INT64, HGFEDCBA, eb7e16820befddee, -1234567890123456789",
    "INT64, EFGHABCD, 82167eebeeddef0b, -1234567890123456789",
    "UINT64, ABCDEFGH, fedcba9876543210, 18364758544493064720",
    "UINT64, GHEFCDAB, 32107654ba98fedc, 18364758544493064720",
    "UINT64, BADCFEHG, dcfe98ba54761032, 18364758544493064720",
    "UINT64, HGFEDCBA, 1032547698badcfe, 18364758544493064720",
    "FLOAT64, ABCDEFGH, 405edd2f1a9fbe77, 123.456",
    "FLOAT64, GHEFCDAB, be771a9fdd2f405e, 123.456",
    "FLOAT64, BADCFEHG, 5e402fdd9f1a77be, 123.456",
    "FLOAT64, HGFEDCBA, 77be9f1a2fdd5e40, 123.456",
    "FLOAT64, EFGHABCD, 1a9fbe77405edd2f, 123.456",
    "INT16, AB, fffe, -2",
    "INT16, BA, feff, -2",
    "UINT16, AB, fffe, 65534",
    "UINT16, BA, feff, 65534",
  })
  void number_knownVector_decodes(ValueType type, String order, String hex, double expected) {
    RegisterPoint p = Points.reg("v", 10, type, order);
    // Put the value after one register of padding to check the index arithmetic.
    byte[] data = HexFormat.of().parseHex("abcd" + hex);
    assertThat(RegisterCodec.number(p, data, 1)).isCloseTo(expected, within(Math.abs(expected) * 1e-6));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "INT32, CDAB, 32ebf8a4, -123456789",
    "UINT32, ABCD, b2d05e00, 3000000000",
    "INT64, HGFEDCBA, eb7e16820befddee, -1234567890123456789",
    "UINT64, ABCDEFGH, fedcba9876543210, -81985529216486896",
    "INT16, AB, 8000, -32768",
    "UINT16, AB, 8000, 32768",
  })
  void rawInteger_knownVector_isExact(ValueType type, String order, String hex, long expected) {
    RegisterPoint p = Points.reg("v", 0, type, order);
    assertThat(RegisterCodec.rawInteger(p, HexFormat.of().parseHex(hex), 0)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} on 64-bit is {1}")
  @CsvSource({"ABCD, ABCDEFGH", "CDAB, GHEFCDAB", "BADC, BADCFEHG", "DCBA, HGFEDCBA"})
  void fourLetterOrder_onSixtyFourBits_extendsWordWise(String four, String eight) {
    assertThat(ByteOrder.parse(four).orElseThrow().forWidth(8).pattern()).isEqualTo(eight);
  }

  @Test
  void byteOrder_notAPermutation_isRejected() {
    assertThat(ByteOrder.parse("ABCC")).isEmpty();
    assertThat(ByteOrder.parse("ABC")).isEmpty();
    assertThat(ByteOrder.parse("ABCE")).isEmpty();
  }

  @Test
  void bit_ofStatusRegister_readsThatBitOnly() {
    byte[] data = HexFormat.of().parseHex("00c1"); // bits 0, 6, 7
    assertThat(RegisterCodec.rawInteger(Points.bit("b0", 0, 0), data, 0)).isEqualTo(1);
    assertThat(RegisterCodec.rawInteger(Points.bit("b1", 0, 1), data, 0)).isEqualTo(0);
    assertThat(RegisterCodec.rawInteger(Points.bit("b6", 0, 6), data, 0)).isEqualTo(1);
    assertThat(RegisterCodec.rawInteger(Points.bit("b7", 0, 7), data, 0)).isEqualTo(1);
    assertThat(RegisterCodec.rawInteger(Points.bit("b15", 0, 15), HexFormat.of().parseHex("8000"), 0)).isEqualTo(1);
  }

  @Test
  void coils_packedLeastSignificantFirst_decodeByIndex() {
    byte[] data = {(byte) 0b0000_0101, (byte) 0b1000_0000};
    RegisterPoint c = Points.coil("c", Table.COIL, 0);
    assertThat(RegisterCodec.rawInteger(c, data, 0)).isEqualTo(1);
    assertThat(RegisterCodec.rawInteger(c, data, 1)).isEqualTo(0);
    assertThat(RegisterCodec.rawInteger(c, data, 2)).isEqualTo(1);
    assertThat(RegisterCodec.rawInteger(c, data, 15)).isEqualTo(1);
  }

  @Test
  void string_highByteFirst_trimsPadding() {
    byte[] data = "GAS-01\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(RegisterCodec.text(Points.string("s", 0, 4, "AB"), data, 0)).isEqualTo("GAS-01");
    byte[] swapped = "AG-S10\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(RegisterCodec.text(Points.string("s", 0, 4, "BA"), swapped, 0)).isEqualTo("GAS-01");
  }

  @Test
  void scale_appliesDecimalsThenScaleThenOffset() {
    RegisterPoint p = new RegisterPoint("t", Table.HOLDING_REGISTER, 0, ValueType.INT16, -1, 1,
        ByteOrder.parse("AB").orElseThrow(), 0.5, -40, 0, "", "C", RegisterPoint.Role.MEASUREMENT);
    assertThat(RegisterCodec.scale(p, 1234, 2)).isCloseTo(12.34 * 0.5 - 40, within(1e-9));
  }
}
