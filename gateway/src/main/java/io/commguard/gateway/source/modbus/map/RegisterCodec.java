package io.commguard.gateway.source.modbus.map;

import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of a read response into point values. Register data is the response's byte
 * array as it came off the wire (two bytes per register); bit data is packed eight to a byte,
 * least significant bit first, as Modbus sends coils and discrete inputs.
 */
public final class RegisterCodec {
  private RegisterCodec() {}

  /**
   * The raw whole-number value of an integer-typed point (BOOL, BIT, [U]INT16/32/64), sign-extended
   * for signed types. UINT64 values above {@code Long.MAX_VALUE} come back negative (two's
   * complement); use {@link #number} for their magnitude.
   *
   * @param data the response bytes
   * @param index for bit tables, the bit index of the point in {@code data}; for registers, the
   *     register index of the point's first register
   */
  public static long rawInteger(RegisterPoint p, byte[] data, int index) {
    if (p.table().isBits()) {
      return (data[index >> 3] >> (index & 7)) & 1;
    }
    int off = index * 2;
    ValueType type = p.type();
    switch (type) {
      case BOOL, BIT -> {
        long word = p.byteOrder().forWidth(2).toLong(data, off);
        return p.type() == ValueType.BIT ? (word >> p.bit()) & 1 : word != 0 ? 1 : 0;
      }
      case INT16 -> {
        return (short) p.byteOrder().forWidth(2).toLong(data, off);
      }
      case UINT16 -> {
        return p.byteOrder().forWidth(2).toLong(data, off);
      }
      case INT32 -> {
        return (int) p.byteOrder().forWidth(4).toLong(data, off);
      }
      case UINT32 -> {
        return p.byteOrder().forWidth(4).toLong(data, off);
      }
      case INT64, UINT64 -> {
        return p.byteOrder().forWidth(8).toLong(data, off);
      }
      default -> throw new IllegalArgumentException("not an integer type: " + type);
    }
  }

  /** The unscaled numeric value of a point of any type but STRING. */
  public static double number(RegisterPoint p, byte[] data, int index) {
    ValueType type = p.type();
    if (type == ValueType.FLOAT32) {
      return Float.intBitsToFloat((int) p.byteOrder().forWidth(4).toLong(data, index * 2));
    }
    if (type == ValueType.FLOAT64) {
      return Double.longBitsToDouble(p.byteOrder().forWidth(8).toLong(data, index * 2));
    }
    long raw = rawInteger(p, data, index);
    if (type == ValueType.UINT64 && raw < 0) {
      return (double) (raw >>> 1) * 2.0 + (raw & 1);
    }
    return raw;
  }

  /**
   * ASCII text of a STRING point: two characters per register, high byte first unless the point's
   * order swaps bytes ({@code BA}/{@code BADC}); trailing NULs and spaces dropped.
   */
  public static String text(RegisterPoint p, byte[] data, int index) {
    ByteOrder word = p.byteOrder().forWidth(2);
    byte[] chars = new byte[p.length() * 2];
    for (int r = 0; r < p.length(); r++) {
      long v = word.toLong(data, (index + r) * 2);
      chars[2 * r] = (byte) (v >> 8);
      chars[2 * r + 1] = (byte) v;
    }
    int n = chars.length;
    while (n > 0 && (chars[n - 1] == 0 || chars[n - 1] == ' ')) {
      n--;
    }
    return new String(chars, 0, n, StandardCharsets.US_ASCII);
  }

  /** Applies decimals, scale and offset: {@code number / 10^decimals * scale + offset}. */
  public static double scale(RegisterPoint p, double number, int decimals) {
    double v = decimals == 0 ? number : number / Math.pow(10, decimals);
    return v * p.scale() + p.offset();
  }
}
