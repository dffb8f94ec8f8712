package io.commguard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The targets of issues 5, 6, 12, 13, 16 and 17, checked against a run's figures (never in tests: only in the report). */
final class Targets {
  private Targets() {}

  @SuppressWarnings("unchecked")
  static Object at(Map<String, Object> root, String path) {
    Object cur = root;
    for (String part : path.split("\\.")) {
      if (!(cur instanceof Map)) {
        return null;
      }
      cur = ((Map<String, Object>) cur).get(part);
    }
    return cur;
  }

  static Double num(Map<String, Object> root, String path) {
    Object v = at(root, path);
    return v instanceof Number n ? n.doubleValue() : null;
  }

  static List<Map<String, Object>> evaluate(Map<String, Object> scenarios) {
    List<Map<String, Object>> out = new ArrayList<>();
    Double ingest = num(scenarios, "throughput.ingest_msgs_per_s");
    Object zeroLoss = at(scenarios, "throughput.zero_loss");
    add(out, "Ingest, closed loop, ~1 % alarms, zero loss", ">= 100,000 msg/s", ingest, "msg/s",
        ingest == null ? null : ingest >= 100_000 && Boolean.TRUE.equals(zeroLoss));
    Double ingestC2 = num(scenarios, "throughput_c2.ingest_msgs_per_s");
    add(out, "Ingest as above, gateway JVM with C2 (not the shipped line; more RSS)", ">= 100,000 msg/s", ingestC2,
        "msg/s", ingestC2 == null ? null : ingestC2 >= 100_000 && Boolean.TRUE.equals(at(scenarios, "throughput_c2.zero_loss")));
    Double red = num(scenarios, "node_red_filter.processed_msgs_per_s");
    add(out, "Ingest vs Node-RED (filter flow, same load, same run)", ">= 2x", ratio(ingest, red), "x",
        ingest == null || red == null ? null : ingest >= 2 * red);
    Double alerts = num(scenarios, "alerts.alerts_delivered_per_s");
    add(out, "Alerts durably committed and delivered", ">= 5,000 alerts/s", alerts, "alerts/s",
        alerts == null ? null : alerts >= 5000);
    Double p99 = num(scenarios, "steady.latency.p99_ms");
    add(out, "Latency p99 at 1,000 msg/s (device -> city, incl. commit)", "<= 20 ms", p99, "ms", p99 == null ? null : p99 <= 20);
    Double p999 = num(scenarios, "steady.latency.p999_ms");
    add(out, "Latency p99.9 at 1,000 msg/s", "<= 50 ms", p999, "ms", p999 == null ? null : p999 <= 50);
    Double importMs = num(scenarios, "steady_import.import_wall_ms");
    Double imported = num(scenarios, "steady_import.imported_devices");
    boolean fullImport = imported != null && imported >= 5000;
    add(out, "Import of 5,000 devices through the admin API (dry run + apply, generated passwords), steady load running "
        + "(issue 12)", "<= 5,000 ms", importMs, "ms", importMs == null ? null : importMs <= 5000 && fullImport);
    Double importP99 = num(scenarios, "steady_import.latency_during_import.p99_ms");
    add(out, "Latency p99 at 1,000 msg/s of messages sent during that import", "<= 20 ms", importP99, "ms",
        importP99 == null ? null : importP99 <= 20 && fullImport);
    Double rss = num(scenarios, "steady.peak_rss_mib");
    add(out, "Peak RSS, 1,000 MQTT devices + 1,000 Modbus points/s", "<= 160 MB", rss, "MiB", rss == null ? null : rss <= 160);
    Double redRss = num(scenarios, "node_red_filter.peak_rss_mib");
    add(out, "Peak RSS vs Node-RED's", "<= 0.5x", ratio(rss, redRss), "x",
        rss == null || redRss == null ? null : rss <= redRss / 2);
    Double startup = num(scenarios, "steady.startup_ready_wall_ms");
    add(out, "Start-up to ready (process launch -> 'Gateway ready', 2,000 devices)", "<= 2,000 ms", startup, "ms",
        startup == null ? null : startup <= 2000);
    Double modbus = num(scenarios, "modbus.gateway_cpu_percent_of_one_core");
    add(out, "Modbus: 1,000 detectors polled every second", "< 50 % of one core", modbus, "%", modbus == null ? null : modbus < 50);
    Double drain = num(scenarios, "drain.drain_alerts_per_s");
    add(out, "Outbox drain after an outage", ">= 10,000 alerts/s", drain, "alerts/s", drain == null ? null : drain >= 10_000);
    Double heap = num(scenarios, "backlog.peak_heap_mib");
    Double backlog = num(scenarios, "backlog.backlog_alerts");
    add(out, "Live heap while a 1,000,000-alert backlog builds in an outage and drains, none lost", "<= 160 MiB", heap,
        "MiB", heap == null ? null : heap <= 160 && backlog != null && backlog >= 1_000_000
            && Boolean.TRUE.equals(at(scenarios, "backlog.zero_loss")));
    Double fireP99 = num(scenarios, "storm_priority.level1_latency.p99_ms");
    Double fireBacklog = num(scenarios, "storm_priority.backlog_when_city_returned");
    boolean stormShaped = fireBacklog != null && fireBacklog >= 100_000;
    add(out, "Level-1 latency p99, storm at capacity over a >= 100,000-alert backlog (issue 16)", "<= 100 ms", fireP99,
        "ms", fireP99 == null ? null : fireP99 <= 100 && stormShaped);
    Double fireP999 = num(scenarios, "storm_priority.level1_latency.p999_ms");
    add(out, "Level-1 latency p99.9, same storm", "<= 250 ms", fireP999, "ms",
        fireP999 == null ? null : fireP999 <= 250 && stormShaped);
    Double fireMissing = num(scenarios, "storm_priority.level1_missing");
    add(out, "Alerts lost in the storm (level 1 and the storm's own)", "0", fireMissing, "alerts",
        fireMissing == null ? null : Boolean.TRUE.equals(at(scenarios, "storm_priority.zero_loss")));
    Double restart = num(scenarios, "restart.restart_to_pubacks_ms");
    add(out, "Restart: launch -> every device connected and acknowledged (1,000 in the full run; issue 17)",
        "<= 5,000 ms", restart, "ms", restart == null ? null : restart <= 5000);
    Double heldRss = num(scenarios, "streams_held.peak_rss_mib");
    Double heldCameras = num(scenarios, "streams_held.cameras");
    Double heldOpen = num(scenarios, "streams_held.streams_open_at_end");
    add(out, "Peak RSS, 500 held camera event streams (Hikvision + Dahua, keep-alive 5 s, occasional events; issue 13)",
        "<= 160 MB", heldRss, "MiB", heldRss == null ? null
            : heldRss <= 160 && heldCameras != null && heldCameras >= 500 && heldCameras.equals(heldOpen));
    return out;
  }

  private static Double ratio(Double a, Double b) {
    return a == null || b == null || b == 0 ? null : Math.round(a / b * 100) / 100.0;
  }

  private static void add(List<Map<String, Object>> out, String what, String target, Double measured, String unit, Boolean met) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", what);
    m.put("goal", target);
    m.put("measured", measured);
    m.put("unit", unit);
    m.put("met", met);
    out.add(m);
  }
}
