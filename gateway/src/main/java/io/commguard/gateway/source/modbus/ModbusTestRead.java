package io.commguard.gateway.source.modbus;

import com.digitalpetri.modbus.pdu.ModbusResponsePdu;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.source.TestRead;
import io.commguard.gateway.source.modbus.map.Clause;
import io.commguard.gateway.source.modbus.map.Condition;
import io.commguard.gateway.source.modbus.map.PointGroup;
import io.commguard.gateway.source.modbus.map.ReadPlanner;
import io.commguard.gateway.source.modbus.map.ReadRequest;
import io.commguard.gateway.source.modbus.map.RegisterCodec;
import io.commguard.gateway.source.modbus.map.RegisterPoint;
import io.commguard.gateway.source.modbus.map.Table;
import io.commguard.gateway.source.modbus.map.ValueType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One test read of a device: every read of its map (as its running poll plans them, fallbacks
 * included) sent once, one at a time, as on-demand requests on its link; then the raw registers,
 * the decoded fields, its conditions and the events a first poll would deliver. A fresh
 * {@link DeviceSession} decodes them, so the running poll's state (reported alarms, telemetry
 * timing) is untouched and nothing enters the pipeline. Runs on the poller thread.
 */
final class ModbusTestRead {
  private final LinkPoller link;
  private final ModbusDevice device;
  private final PollerThread poller;
  private final ArrayDeque<Read> todo = new ArrayDeque<>();
  private final List<Read> done = new ArrayList<>();
  private final List<TestRead.Failure> failures = new ArrayList<>();
  private final Set<Integer> failedGroups = new HashSet<>();
  private final CompletableFuture<TestRead> result = new CompletableFuture<>();
  private final long startedNanos = System.nanoTime();

  private ModbusTestRead(LinkPoller link, DeviceSession session, PollerThread poller) {
    this.link = link;
    this.device = session.device;
    this.poller = poller;
    for (int g = 0; g < device.profile().groups().size(); g++) {
      for (ReadRequest r : session.plan(g)) {
        todo.add(new Read(g, r));
      }
    }
  }

  /** Starts reading {@code session}'s device on {@code link}; poller thread only. */
  static CompletableFuture<TestRead> start(LinkPoller link, DeviceSession session, PollerThread poller) {
    ModbusTestRead run = new ModbusTestRead(link, session, poller);
    run.next();
    return run.result;
  }

  private void next() {
    Read read = todo.poll();
    if (read == null) {
      result.complete(report());
      return;
    }
    link.request(device.unitId(), LinkPoller.pdu(read.request)).whenCompleteAsync((pdu, ex) -> answered(read, pdu, ex), poller);
  }

  private void answered(Read read, ModbusResponsePdu pdu, Throwable ex) {
    ReadRequest r = read.request;
    if (ex == null) {
      read.data = LinkPoller.payload(pdu, r);
      if (read.data == null) {
        failed(read, ErrorReason.SHORT_RESPONSE, "asked for " + r.quantity() + " at " + r.address());
      } else {
        done.add(read);
      }
    } else if (ErrorReason.of(ex).equals(ErrorReason.ILLEGAL_DATA_ADDRESS) && r.coversSeveralRanges()) {
      // As the poll does: a merged read the device refuses is read point by point.
      List<ReadRequest> parts = ReadPlanner.split(r);
      for (int i = parts.size() - 1; i >= 0; i--) {
        todo.addFirst(new Read(read.group, parts.get(i)));
      }
    } else {
      failed(read, ErrorReason.of(ex), ErrorReason.detail(ex));
    }
    next();
  }

  private void failed(Read read, String reason, String detail) {
    failures.add(new TestRead.Failure(what(read.request), reason, detail));
    failedGroups.add(read.group);
  }

  private TestRead report() {
    Instant now = Instant.now();
    List<TestRead.RawValue> raw = new ArrayList<>();
    Map<RegisterPoint, Read> readOf = new LinkedHashMap<>();
    for (Read read : done) {
      ReadRequest r = read.request;
      for (int i = 0; i < r.quantity(); i++) {
        long value = r.table().isBits() ? (read.data[i >> 3] >> (i & 7)) & 1
            : ((read.data[2 * i] & 0xFF) << 8) | (read.data[2 * i + 1] & 0xFF);
        raw.add(new TestRead.RawValue(tableWord(r.table()), r.table().functionCode(), r.address() + i, value,
            r.table().isBits() ? Long.toString(value) : String.format(Locale.ROOT, "0x%04X", value)));
      }
      r.points().forEach(p -> readOf.put(p, read));
    }
    Map<String, Long> integers = new HashMap<>();
    readOf.forEach((p, read) -> {
      if (p.type().isInteger()) {
        integers.put(p.name(), RegisterCodec.rawInteger(p, read.data, read.request.indexOf(p)));
      }
    });
    List<TestRead.Field> fields = new ArrayList<>();
    for (PointGroup g : device.profile().groups()) {
      for (RegisterPoint p : g.points()) {
        Read read = readOf.get(p);
        if (read != null) {
          fields.add(field(p, read.data, read.request.indexOf(p), integers));
        }
      }
    }
    List<TestRead.ConditionState> conditions = new ArrayList<>();
    for (Condition c : device.profile().conditions()) {
      conditions.add(new TestRead.ConditionState(c.id(), c.state(), c.type().name(), holds(c, integers), c.nativeCode()));
    }
    return new TestRead(device.id(), link.id() + " unit " + device.unitId(), now,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos), raw, fields, conditions, events(now), failures);
  }

  /** What a first poll would deliver: decoded by a fresh session from the groups read in full. */
  private List<DeviceEvent> events(Instant now) {
    DeviceSession fresh = new DeviceSession(device);
    for (int g = 0; g < device.profile().groups().size(); g++) {
      int group = g;
      if (failedGroups.contains(group)) {
        continue;
      }
      List<Read> reads = done.stream().filter(r -> r.group == group).toList();
      fresh.store(g, reads.stream().map(r -> r.request).toList(), reads.stream().map(r -> r.data).toArray(byte[][]::new));
    }
    return fresh.events(now, System.nanoTime()).stream().map(DeviceSession.Emission::event).toList();
  }

  private static TestRead.Field field(RegisterPoint p, byte[] data, int index, Map<String, Long> integers) {
    String table = tableWord(p.table());
    boolean measurement = p.role() == RegisterPoint.Role.MEASUREMENT;
    if (p.type() == ValueType.STRING) {
      String text = RegisterCodec.text(p, data, index);
      return new TestRead.Field(p.name(), table, p.address(), p.span(), text, text, p.unit(), measurement);
    }
    double number = RegisterCodec.number(p, data, index);
    String raw = p.type().isInteger() ? Long.toString(integers.get(p.name())) : String.valueOf(number);
    if (!measurement) {
      return new TestRead.Field(p.name(), table, p.address(), p.span(), raw, raw, p.unit(), false);
    }
    int decimals = p.decimals();
    String value;
    if (p.decimalsFrom().isEmpty()) {
      value = String.valueOf(RegisterCodec.scale(p, number, decimals));
    } else {
      Long d = integers.get(p.decimalsFrom());
      value = d == null || d < 0 || d > 9 ? "?" : String.valueOf(RegisterCodec.scale(p, number, d.intValue()));
    }
    return new TestRead.Field(p.name(), table, p.address(), p.span(), raw, value, p.unit(), true);
  }

  private static Boolean holds(Condition c, Map<String, Long> integers) {
    for (Clause clause : c.when()) {
      Long v = integers.get(clause.point());
      if (v == null) {
        return null;
      }
      if (!clause.test(v)) {
        return false;
      }
    }
    return true;
  }

  static String tableWord(Table table) {
    return switch (table) {
      case COIL -> "coil";
      case DISCRETE_INPUT -> "discrete";
      case INPUT_REGISTER -> "input";
      case HOLDING_REGISTER -> "holding";
    };
  }

  private static String what(ReadRequest r) {
    return tableWord(r.table()) + " " + r.address() + "+" + r.quantity();
  }

  /** One read of the test and, once answered, its data. */
  private static final class Read {
    final int group;
    final ReadRequest request;
    byte[] data;

    Read(int group, ReadRequest request) {
      this.group = group;
      this.request = request;
    }
  }
}
