package io.commguard.gateway.source.modbus.map;

/** Builds register points for tests. */
final class Points {
  private Points() {}

  static RegisterPoint reg(String name, int address, ValueType type, String order) {
    ByteOrder o = ByteOrder.parse(order).orElseThrow();
    int bytes = Math.max(2, type.registers() * 2);
    return new RegisterPoint(name, Table.HOLDING_REGISTER, address, type, -1, type.registers(),
        o.width() == 4 && bytes != 4 ? o.forWidth(bytes) : o, 1.0, 0.0, 0, "", "", RegisterPoint.Role.MEASUREMENT);
  }

  static RegisterPoint reg(String name, int address, ValueType type) {
    return reg(name, address, type, "ABCD");
  }

  static RegisterPoint bit(String name, int address, int bit) {
    return new RegisterPoint(name, Table.HOLDING_REGISTER, address, ValueType.BIT, bit, 1,
        ByteOrder.parse("AB").orElseThrow(), 1.0, 0.0, 0, "", "", RegisterPoint.Role.INTERNAL);
  }

  static RegisterPoint string(String name, int address, int length, String order) {
    return new RegisterPoint(name, Table.HOLDING_REGISTER, address, ValueType.STRING, -1, length,
        ByteOrder.parse(order).orElseThrow(), 1.0, 0.0, 0, "", "", RegisterPoint.Role.INTERNAL);
  }

  static RegisterPoint coil(String name, Table table, int address) {
    return new RegisterPoint(name, table, address, ValueType.BOOL, -1, 0,
        ByteOrder.ABCD, 1.0, 0.0, 0, "", "", RegisterPoint.Role.INTERNAL);
  }
}
