package io.commguard.gateway.source.modbus.map;

import java.util.List;

/**
 * One planned read: a contiguous range of one table and the points decoded from it.
 *
 * @param address first 0-based address read
 * @param quantity registers (or bits) read, 1..125 (or 1..2000)
 */
public record ReadRequest(Table table, int address, int quantity, List<RegisterPoint> points) {
  public ReadRequest {
    points = List.copyOf(points);
    if (quantity < 1 || quantity > table.maxQuantity()) {
      throw new IllegalArgumentException("quantity " + quantity + " outside 1.." + table.maxQuantity());
    }
  }

  /** True when the points sit at more than one address range, so the request can be split. */
  public boolean coversSeveralRanges() {
    return points.stream().map(p -> p.address() + ":" + p.span()).distinct().count() > 1;
  }

  /** Index of a point's first register (or bit) within this request's response. */
  public int indexOf(RegisterPoint p) {
    return p.address() - address;
  }
}
