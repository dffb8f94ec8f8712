package io.commguard.gateway.source.modbus.map;

/** How the raw bits or registers of a point are interpreted. */
public enum ValueType {
  /** One coil or discrete input. */
  BOOL(0, false),
  /** One bit (0 = least significant) of a 16-bit register. */
  BIT(1, false),
  INT16(1, true),
  UINT16(1, false),
  INT32(2, true),
  UINT32(2, false),
  INT64(4, true),
  UINT64(4, false),
  FLOAT32(2, true),
  FLOAT64(4, true),
  /** ASCII text over {@code length} registers, two characters per register. */
  STRING(0, false);

  private final int registers;
  private final boolean signed;

  ValueType(int registers, boolean signed) {
    this.registers = registers;
    this.signed = signed;
  }

  /** Registers a value occupies; 0 for BOOL (one bit) and STRING (its own length). */
  public int registers() {
    return registers;
  }

  public boolean signed() {
    return signed;
  }

  public boolean isFloat() {
    return this == FLOAT32 || this == FLOAT64;
  }

  /** True for the types whose raw value is a whole number usable in bit and mask conditions. */
  public boolean isInteger() {
    return this != FLOAT32 && this != FLOAT64 && this != STRING;
  }
}
