package io.commguard.gateway.source.modbus.map;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Plans the reads of one poll cycle: per table, points sorted by address are joined into one
 * request while the hole between them is at most {@code maxFill} registers (or bits) and the
 * request stays within the Modbus cap (125 registers, 2000 bits). Points that overlap (several
 * bits of one status register) always share a request. Pure and deterministic.
 */
public final class ReadPlanner {
  private ReadPlanner() {}

  public static List<ReadRequest> plan(List<RegisterPoint> points, int maxFill) {
    if (maxFill < 0) {
      throw new IllegalArgumentException("maxFill must be >= 0");
    }
    Map<Table, List<RegisterPoint>> byTable = new EnumMap<>(Table.class);
    for (RegisterPoint p : points) {
      byTable.computeIfAbsent(p.table(), t -> new ArrayList<>()).add(p);
    }
    List<ReadRequest> out = new ArrayList<>();
    byTable.forEach((table, list) -> planTable(table, list, maxFill, out));
    return out;
  }

  /**
   * The fallback when a device refuses a merged range with "illegal data address": one request per
   * distinct address range, points sharing a range (bits of one register) kept together.
   */
  public static List<ReadRequest> split(ReadRequest request) {
    return plan(request.points(), 0).stream()
        .flatMap(r -> separate(r).stream())
        .toList();
  }

  private static List<ReadRequest> separate(ReadRequest r) {
    List<ReadRequest> out = new ArrayList<>();
    List<RegisterPoint> sorted = new ArrayList<>(r.points());
    sorted.sort(ORDER);
    List<RegisterPoint> same = new ArrayList<>();
    for (RegisterPoint p : sorted) {
      if (!same.isEmpty() && (same.get(0).address() != p.address() || same.get(0).span() != p.span())) {
        out.add(new ReadRequest(r.table(), same.get(0).address(), same.get(0).span(), same));
        same = new ArrayList<>();
      }
      same.add(p);
    }
    out.add(new ReadRequest(r.table(), same.get(0).address(), same.get(0).span(), same));
    return out;
  }

  private static final Comparator<RegisterPoint> ORDER =
      Comparator.comparingInt(RegisterPoint::address).thenComparingInt(RegisterPoint::span);

  private static void planTable(Table table, List<RegisterPoint> points, int maxFill, List<ReadRequest> out) {
    List<RegisterPoint> sorted = new ArrayList<>(points);
    sorted.sort(ORDER);
    int cap = table.maxQuantity();
    int start = -1;
    int end = -1;
    List<RegisterPoint> current = new ArrayList<>();
    for (RegisterPoint p : sorted) {
      if (p.span() > cap) {
        throw new IllegalArgumentException("point " + p.name() + " spans " + p.span() + " > cap " + cap);
      }
      boolean fits = !current.isEmpty()
          && p.address() - end <= maxFill
          && Math.max(end, p.end()) - start <= cap;
      if (!fits) {
        if (!current.isEmpty()) {
          out.add(new ReadRequest(table, start, end - start, current));
        }
        current = new ArrayList<>();
        start = p.address();
        end = p.end();
      }
      current.add(p);
      end = Math.max(end, p.end());
    }
    if (!current.isEmpty()) {
      out.add(new ReadRequest(table, start, end - start, current));
    }
  }
}
