package io.commguard.gateway.source.modbus.map;

/**
 * One named value in a device's register map, already resolved to a 0-based wire address.
 *
 * @param address 0-based address as sent on the wire (the profile's address base already applied)
 * @param bit bit number 0..15 for {@link ValueType#BIT}; -1 otherwise
 * @param length registers for {@link ValueType#STRING}; derived from the type otherwise
 * @param byteOrder wire byte order, already fitted to the value's width
 * @param scale the decoded number is multiplied by this...
 * @param offset ...then this is added
 * @param decimals fixed number of decimals to divide by (10^decimals); 0 for none
 * @param decimalsFrom name of another point of the same group holding the number of decimals, or
 *     empty; the value is divided by 10^that
 * @param unit unit of the scaled value, e.g. {@code %LEL}
 * @param role whether the value is reported as a measurement or only used by conditions
 */
public record RegisterPoint(
    String name,
    Table table,
    int address,
    ValueType type,
    int bit,
    int length,
    ByteOrder byteOrder,
    double scale,
    double offset,
    int decimals,
    String decimalsFrom,
    String unit,
    Role role) {

  /** What a point is for. */
  public enum Role {
    /** Reported: a gas concentration, a temperature. */
    MEASUREMENT,
    /** Only read for conditions, decimals or native codes: status words, fault numbers. */
    INTERNAL
  }

  /** Units this point occupies in its table: registers, or bits for coils and discrete inputs. */
  public int span() {
    if (table.isBits()) {
      return 1;
    }
    return type == ValueType.STRING ? length : type.registers();
  }

  /** First address after this point. */
  public int end() {
    return address + span();
  }
}
