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
  /** Attribute on events of a multi-condition episode: the native codes of all its conditions that hold. */
  static final String NATIVE_CONDITIONS = "nativeConditions";

  final ModbusDevice device;
  private final List<List<ReadRequest>> plans = new ArrayList<>();
  final boolean[] cycleRunning;
  private final long minIntervalNanos;

  private final Map<String, Long> raw = new HashMap<>();
  private final Map<String, Double> values = new HashMap<>();
  private final Map<String, String> texts = new HashMap<>();
  /** The profile's conditions grouped by episode key, in order of first appearance. */
  private final List<EpisodeConditions> episodes;
  /** Per episode: null unknown, TRUE reported active, FALSE reported inactive. */
  private final Boolean[] reported;
  /** Per episode: the condition (index in the profile) and native code last reported active. */
  private final int[] reportedCondition;
  private final String[] reportedCode;
  /** Per condition: whether it held at the last poll (for the device state). */
  private final boolean[] holding;
  private long lastTelemetryNanos;
  private boolean telemetrySent;
  /** Groups read at least once; the first telemetry waits for all so it is complete. */
  private final boolean[] groupSeen;
  private int groupsSeen;

  int failures;
  long backoffUntilNanos;
  /** Set on the poller thread when the device left the registry: late answers for it are ignored. */
  boolean removed;
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
    this.episodes = EpisodeConditions.of(profile.conditions());
    this.reported = new Boolean[episodes.size()];
    this.reportedCondition = new int[episodes.size()];
    this.reportedCode = new String[episodes.size()];
    this.holding = new boolean[profile.conditions().size()];
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
   * The events due after a successful poll: episode changes, then a telemetry event when its
   * interval has passed. An episode is reported at the level of its first active condition in
   * profile order: low → high → low of one detector is ACTIVE@2, ACTIVE@1, ACTIVE@2 of one episode.
   */
  List<Emission> events(Instant now, long nowNanos) {
    List<Emission> out = new ArrayList<>();
    ModbusProfile profile = device.profile();
    List<Condition> conditions = profile.conditions();
    boolean[] known = new boolean[conditions.size()];
    for (int i = 0; i < conditions.size(); i++) {
      Boolean holds = holds(conditions.get(i));
      known[i] = holds != null;
      holding[i] = holds != null && holds;
    }
    String state = currentState();
    List<Measurement> measurements = measurements();
    for (int g = 0; g < episodes.size(); g++) {
      EpisodeConditions ep = episodes.get(g);
      int top = -1;
      boolean anyKnown = false;
      for (int i : ep.conditions()) {
        anyKnown |= known[i];
        if (holding[i]) {
          top = i;
          break;
        }
      }
      if (!anyKnown) {
        continue;
      }
      if (top >= 0) {
        String code = nativeCode(conditions.get(top));
        if (!Boolean.TRUE.equals(reported[g]) || reportedCondition[g] != top || !code.equals(reportedCode[g])) {
          out.add(new Emission(g, reported[g], reportedCondition[g], reportedCode[g],
              event(ep, conditions.get(top), Phase.ACTIVE, code, state, measurements, now)));
          reported[g] = true;
          reportedCondition[g] = top;
          reportedCode[g] = code;
        }
      } else if (Boolean.TRUE.equals(reported[g])) {
        out.add(new Emission(g, reported[g], reportedCondition[g], reportedCode[g],
            event(ep, conditions.get(reportedCondition[g]), Phase.INACTIVE, reportedCode[g], state, measurements, now)));
        reported[g] = false;
        reportedCode[g] = null;
      } else if (reported[g] == null) {
        reported[g] = false;
      }
    }
    if (!measurements.isEmpty() && groupsSeen == groupSeen.length
        && (!telemetrySent || nowNanos - lastTelemetryNanos >= profile.telemetryInterval().toNanos())) {
      telemetrySent = true;
      lastTelemetryNanos = nowNanos;
      out.add(new Emission(-1, null, -1, null, new DeviceEvent(device.ref(), EventKind.TELEMETRY, CanonicalType.READING,
          CanonicalType.READING.defaultLevel(), Phase.PULSE, "", null, now, "telemetry", measurements, List.of(),
          attributes(state), "Reading")));
    }
    return out;
  }

  /** Puts an episode back to what it was before an emission the sink refused, so the next poll retries it. */
  void undo(Emission e) {
    if (e.episode() >= 0) {
      reported[e.episode()] = Boolean.TRUE.equals(e.previousReported()) ? Boolean.TRUE : null;
      reportedCondition[e.episode()] = e.previousCondition();
      reportedCode[e.episode()] = e.previousCode();
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

  /** The state of the first condition in profile order that held at the last poll. */
  private String currentState() {
    List<Condition> conditions = device.profile().conditions();
    for (int i = 0; i < conditions.size(); i++) {
      if (holding[i]) {
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

  private DeviceEvent event(EpisodeConditions ep, Condition c, Phase phase, String code, String state,
      List<Measurement> measurements, Instant now) {
    Map<String, String> attributes = attributes(state);
    if (ep.conditions().length > 1 && phase == Phase.ACTIVE) {
      attributes.put(NATIVE_CONDITIONS, activeCodes(ep));
    }
    return new DeviceEvent(device.ref(), c.kind(), c.type(), c.level(), phase, code, null, now, ep.key(),
        measurements, List.of(), attributes, c.description());
  }

  /** The native codes of every condition of the episode that holds, most severe first: {@code status.b7,status.b6}. */
  private String activeCodes(EpisodeConditions ep) {
    StringBuilder b = new StringBuilder();
    for (int i : ep.conditions()) {
      if (holding[i]) {
        b.append(b.isEmpty() ? "" : ",").append(nativeCode(device.profile().conditions().get(i)));
      }
    }
    return b.toString();
  }

  /** An event plus what to restore if the sink refuses it ({@code episode} -1: telemetry). */
  record Emission(int episode, Boolean previousReported, int previousCondition, String previousCode, DeviceEvent event) {}

  /** The conditions (indices in profile order) that share one episode key. */
  record EpisodeConditions(String key, int[] conditions) {
    static List<EpisodeConditions> of(List<Condition> conditions) {
      Map<String, List<Integer>> byKey = new java.util.LinkedHashMap<>();
      for (int i = 0; i < conditions.size(); i++) {
        byKey.computeIfAbsent(conditions.get(i).episode(), k -> new ArrayList<>()).add(i);
      }
      List<EpisodeConditions> out = new ArrayList<>();
      byKey.forEach((k, v) -> out.add(new EpisodeConditions(k, v.stream().mapToInt(Integer::intValue).toArray())));
      return List.copyOf(out);
    }
  }
}
