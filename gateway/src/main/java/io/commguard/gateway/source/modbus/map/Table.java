package io.commguard.gateway.source.modbus.map;

/** The four Modbus data tables, with the read function code and the per-request cap of each. */
public enum Table {
  COIL(1, true, "00"),
  DISCRETE_INPUT(2, true, "10"),
  INPUT_REGISTER(4, false, "30"),
  HOLDING_REGISTER(3, false, "40");

  /** Most bits one read may ask for (Modbus application protocol v1.1b3, FC 01/02). */
  public static final int MAX_BITS = 2000;
  /** Most registers one read may ask for (FC 03/04). */
  public static final int MAX_REGISTERS = 125;

  private final int functionCode;
  private final boolean bits;
  private final String modiconPrefix;

  Table(int functionCode, boolean bits, String modiconPrefix) {
    this.functionCode = functionCode;
    this.bits = bits;
    this.modiconPrefix = modiconPrefix;
  }

  public int functionCode() {
    return functionCode;
  }

  /** True for coils and discrete inputs, whose unit is one bit rather than one 16-bit register. */
  public boolean isBits() {
    return bits;
  }

  /** The cap on one read request's quantity for this table. */
  public int maxQuantity() {
    return bits ? MAX_BITS : MAX_REGISTERS;
  }

  /** Leading digit of the classic Modicon notation (4xxxx holding, 3xxxx input...), e.g. "40". */
  String modiconPrefix() {
    return modiconPrefix;
  }
}
