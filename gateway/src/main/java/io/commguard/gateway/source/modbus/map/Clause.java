package io.commguard.gateway.source.modbus.map;

import java.util.List;

/**
 * One test on a point's raw integer value. The value is first narrowed: to one bit when
 * {@code bit >= 0}, else ANDed with {@code mask} when {@code mask != 0}. The clause holds when the
 * narrowed value is in {@code in}; or, when {@code in} is empty, when it is non-zero.
 *
 * @param point name of an integer-typed point
 * @param bit bit number 0..63, or -1
 * @param mask AND mask, or 0 for none
 * @param in accepted values; empty means "non-zero"
 */
public record Clause(String point, int bit, long mask, List<Long> in) {
  public Clause {
    in = List.copyOf(in);
  }

  public boolean test(long raw) {
    long v = bit >= 0 ? (raw >>> bit) & 1 : mask != 0 ? raw & mask : raw;
    return in.isEmpty() ? v != 0 : in.contains(v);
  }

  /** The native bit or code this clause reads, e.g. {@code status.b6}, {@code status&0xF=0}. */
  public String nativeCode() {
    StringBuilder sb = new StringBuilder(point);
    if (bit >= 0) {
      sb.append(".b").append(bit);
    } else if (mask != 0) {
      sb.append("&0x").append(Long.toHexString(mask).toUpperCase(java.util.Locale.ROOT));
    }
    if (!in.isEmpty()) {
      sb.append('=');
      for (int i = 0; i < in.size(); i++) {
        sb.append(i == 0 ? "" : "|").append(in.get(i));
      }
    }
    return sb.toString();
  }
}
