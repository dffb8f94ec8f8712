package io.commguard.gateway.source.modbus;

import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Measurement;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.source.modbus.map.Clause;
import io.commguard.gateway.source.modbus.map.Condition;
import io.commguard.gateway.source.modbus.map.ModbusProfile;
import io.commguard.gateway.source.modbus.map.PointGroup;
import io.commguard.gateway.source.modbus.map.ReadPlanner;
import io.commguard.gateway.source.modbus.map.ReadRequest;
import io.commguard.gateway.source.modbus.map.RegisterCodec;
import io.commguard.gateway.source.modbus.map.RegisterPoint;
import io.commguard.gateway.source.modbus.map.ValueType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The poll state of one device: its read plan per group (with any "illegal data address"
 * fallbacks remembered), the latest values, which conditions are active, the failure streak and
 * back-off, and whether it is reported offline. Turns completed polls into {@link DeviceEvent}s.
 * Confined to the poller thread.
 */
final class DeviceSession {
  static final String NORMAL = "NORMAL";

  final ModbusDevice device;
  private final List<List<ReadRequest>> plans = new ArrayList<>();
  final boolean[] cycleRunning;
  private final long minIntervalNanos;

  private final Map<String, Long> raw = new HashMap<>();
  private final Map<String, Double> values = new HashMap<>();
  private final Map<String, String> texts = new HashMap<>();
  /** Per condition: null unknown, TRUE active, FALSE inactive. */
  private final Boolean[] active;
  private final String[] activeCode;
  private long lastTelemetryNanos;
  private boolean telemetrySent;
  /** Groups read at least once; the first telemetry waits for all so it is complete. */
  private final boolean[] groupSeen;
  private int groupsSeen;

  int failures;
  long backoffUntilNanos;
  boolean offline;
  String lastFailure = "";

  DeviceSession(ModbusDevice device) {
    this.device = device;
    ModbusProfile profile = device.profile();
    long min = Long.MAX_VALUE;
    for (PointGroup g : profile.groups()) {
      plans.add(new ArrayList<>(ReadPlanner.plan(g.points(), profile.maxFill())));
      min = Math.min(min, g.pollInterval().toNanos());
    }
    this.minIntervalNanos = min;
    this.cycleRunning = new boolean[profile.groups().size()];
    this.groupSeen = new boolean[profile.groups().size()];
    this.active = new Boolean[profile.conditions().size()];
    this.activeCode = new String[profile.conditions().size()];
  }

  String id() {
    return device.id();
  }

  List<ReadRequest> plan(int group) {
    return List.copyOf(plans.get(group));
  }

  long intervalNanos(int group) {
    return device.profile().groups().get(group).pollInterval().toNanos();
  }

  /** Replaces a merged request the device refused by one request per point; remembered for this run. */
  List<ReadRequest> splitRequest(int group, ReadRequest merged) {
    List<ReadRequest> plan = plans.get(group);
    int at = plan.indexOf(merged);
    List<ReadRequest> parts = ReadPlanner.split(merged);
    if (at >= 0) {
      plan.remove(at);
      plan.addAll(at, parts);
    }
    return parts;
  }

  /** Records a failed poll; returns true when this failure makes the device offline. */
  boolean recordFailure(String reason, long nowNanos, int offlineAfter, long maxBackoffNanos) {
    failures++;
    lastFailure = reason;
    int shift = Math.min(failures - 1, 30);
    long backoff = Math.min(maxBackoffNanos, minIntervalNanos << shift);
    if (backoff <= 0) {
      backoff = maxBackoffNanos;
    }
    backoffUntilNanos = nowNanos + backoff;
    if (!offline && failures >= offlineAfter) {
      offline = true;
      return true;
    }
    return false;
  }

  /** Records a successful poll; returns true when the device was offline and is back. */
  boolean recordSuccess() {
    failures = 0;
    backoffUntilNanos = 0;
    if (offline) {
      offline = false;
      return true;
    }
    return false;
  }

  /** Called when an offline event could not be delivered, so the next failure reports it again. */
  void offlineNotDelivered(boolean wasGoingOffline) {
    offline = !wasGoingOffline;
  }

  /** Decodes a completed group cycle into the latest values. */
  void store(int group, List<ReadRequest> requests, byte[][] results) {
    if (!groupSeen[group]) {
      groupSeen[group] = true;
      groupsSeen++;
    }
    for (int i = 0; i < requests.size(); i++) {
      ReadRequest r = requests.get(i);
      for (RegisterPoint p : r.points()) {
        int index = r.indexOf(p);
        if (p.type() == ValueType.STRING) {
          texts.put(p.name(), RegisterCodec.text(p, results[i], index));
          continue;
        }
        if (p.type().isInteger()) {
          raw.put(p.name(), RegisterCodec.rawInteger(p, results[i], index));
        }
        values.put(p.name(), RegisterCodec.number(p, results[i], index));
      }
    }
  }

  /**
   * The events due after a successful poll: condition changes, then a telemetry event when its
   * interval has passed.
   */
  List<Emission> events(Instant now, long nowNanos) {
    List<Emission> out = new ArrayList<>();
    ModbusProfile profile = device.profile();
    List<Condition> conditions = profile.conditions();
    boolean[] current = new boolean[conditions.size()];
    boolean[] known = new boolean[conditions.size()];
    for (int i = 0; i < conditions.size(); i++) {
      Boolean holds = holds(conditions.get(i));
      known[i] = holds != null;
      current[i] = holds != null && holds;
    }
    String state = NORMAL;
    for (int i = 0; i < conditions.size(); i++) {
      if (current[i]) {
        state = conditions.get(i).state();
        break;
      }
    }
    List<Measurement> measurements = measurements();
    for (int i = 0; i < conditions.size(); i++) {
      if (!known[i]) {
        continue;
      }
      Condition c = conditions.get(i);
      String code = nativeCode(c);
      if (current[i] && (!Boolean.TRUE.equals(active[i]) || !code.equals(activeCode[i]))) {
        out.add(new Emission(i, active[i], activeCode[i], event(c, Phase.ACTIVE, code, state, measurements, now)));
        active[i] = true;
        activeCode[i] = code;
      } else if (!current[i] && Boolean.TRUE.equals(active[i])) {
        out.add(new Emission(i, active[i], activeCode[i], event(c, Phase.INACTIVE, activeCode[i], state, measurements, now)));
        active[i] = false;
        activeCode[i] = null;
      } else if (active[i] == null) {
        active[i] = current[i];
      }
    }
    if (!measurements.isEmpty() && groupsSeen == groupSeen.length
        && (!telemetrySent || nowNanos - lastTelemetryNanos >= profile.telemetryInterval().toNanos())) {
      telemetrySent = true;
      lastTelemetryNanos = nowNanos;
      out.add(new Emission(-1, null, null, new DeviceEvent(device.ref(), EventKind.TELEMETRY, CanonicalType.READING,
          CanonicalType.READING.defaultLevel(), Phase.PULSE, "", null, now, "telemetry", measurements, List.of(),
          attributes(state), "Reading")));
    }
    return out;
  }

  /** Puts a condition back to what it was before an emission the sink refused, so the next poll retries it. */
  void undo(Emission e) {
    if (e.condition() >= 0) {
      active[e.condition()] = e.previousActive() == null || !e.previousActive() ? null : Boolean.TRUE;
      activeCode[e.condition()] = e.previousCode();
    } else {
      telemetrySent = false;
    }
  }

  DeviceEvent offlineEvent(Phase phase, Instant now) {
    return new DeviceEvent(device.ref(), EventKind.STATUS, CanonicalType.DEVICE_OFFLINE,
        CanonicalType.DEVICE_OFFLINE.defaultLevel(), phase, phase == Phase.ACTIVE ? lastFailure : "", null, now,
        "offline", List.of(), List.of(), attributes(phase == Phase.ACTIVE ? "OFFLINE" : currentState()),
        phase == Phase.ACTIVE ? "No answer to " + failures + " consecutive polls" : "Answering polls again");
  }

  private String currentState() {
    List<Condition> conditions = device.profile().conditions();
    for (int i = 0; i < conditions.size(); i++) {
      if (Boolean.TRUE.equals(active[i])) {
        return conditions.get(i).state();
      }
    }
    return NORMAL;
  }

  private Boolean holds(Condition c) {
    for (Clause clause : c.when()) {
      Long v = raw.get(clause.point());
      if (v == null) {
        return null;
      }
      if (!clause.test(v)) {
        return false;
      }
    }
    return true;
  }

  private String nativeCode(Condition c) {
    if (c.nativeCodeFrom().isEmpty()) {
      return c.nativeCode();
    }
    Long v = raw.get(c.nativeCodeFrom());
    return c.nativeCode() + "/" + c.nativeCodeFrom() + "=" + (v == null ? "?" : v);
  }

  private List<Measurement> measurements() {
    List<Measurement> out = new ArrayList<>();
    for (PointGroup g : device.profile().groups()) {
      for (RegisterPoint p : g.points()) {
        if (p.role() != RegisterPoint.Role.MEASUREMENT) {
          continue;
        }
        Double v = values.get(p.name());
        if (v == null) {
          continue;
        }
        int decimals = p.decimals();
        if (!p.decimalsFrom().isEmpty()) {
          Long d = raw.get(p.decimalsFrom());
          if (d == null || d < 0 || d > 9) {
            continue; // unusable decimals: better no value than a value off by powers of ten
          }
          decimals = d.intValue();
        }
        out.add(new Measurement(p.name(), RegisterCodec.scale(p, v, decimals), p.unit()));
      }
    }
    return out;
  }

  private Map<String, String> attributes(String state) {
    Map<String, String> attributes = new HashMap<>(texts);
    attributes.put("deviceState", state);
    attributes.put("modbusLink", device.link());
    attributes.put("unitId", Integer.toString(device.unitId()));
    return attributes;
  }

  private DeviceEvent event(Condition c, Phase phase, String code, String state, List<Measurement> measurements, Instant now) {
    return new DeviceEvent(device.ref(), c.kind(), c.type(), c.level(), phase, code, null, now, c.id(),
        measurements, List.of(), attributes(state), c.description());
  }

  /** An event plus what to restore if the sink refuses it. */
  record Emission(int condition, Boolean previousActive, String previousCode, DeviceEvent event) {}
}
