package io.commguard.bench;

import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.ProcStats;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The standard scenarios. Each gateway scenario starts a fresh gateway JVM (empty data directory)
 * with a fresh city broker, so peak RSS and start-up belong to that scenario alone. Figures are
 * taken over a measurement window after a warm-up; everything sent is then drained and accounted
 * for (every QoS 1 publish acknowledged, every tagged alert received) before the next scenario.
 */
final class Scenarios {
  private final Path work;
  private final EdgeJvm gateway;
  private final Path profiles;
  private final Params p;
  private final List<String> gatewayJvmArgs;

  Scenarios(Path work, EdgeJvm gateway, Path profiles, Params p, List<String> gatewayJvmArgs) {
    this.work = work;
    this.gateway = gateway;
    this.profiles = profiles;
    this.p = p;
    this.gatewayJvmArgs = gatewayJvmArgs;
  }

  private static String id(int i) {
    return String.format("dev-%04d", i);
  }

  /**
   * 1,000 MQTT devices at 1 msg/s each plus 1,000 Modbus detectors polled every second: latency
   * (10 % of gas reports raise or clear an alarm, so the percentiles have enough samples),
   * footprint, CPU and start-up.
   */
  Map<String, Object> steady() throws Exception {
    try (GatewayRig rig = new GatewayRig(work, gateway, profiles, "steady", p.steadyDevices(),
        i -> new SimDevice(id(i), DeviceKind.ofIndex(i), 0.1), 8, p.modbusLinks(), p.modbusUnitsPerLink(), gatewayJvmArgs)) {
      rig.fleet.start(p.steadyRate());
      Pause.millis(p.warmupSeconds() * 1000L);
      rig.latencies.reset();
      rig.subscriber.resetBreakdown();
      Window w = new Window(rig);
      Pause.millis(p.steadySeconds() * 1000L);
      Map<String, Object> r = w.close(rig);
      r.put("offered_rate_msgs_per_s", p.steadyRate());
      r.put("mqtt_devices", p.steadyDevices());
      r.put("modbus_devices", p.modbusLinks() * p.modbusUnitsPerLink());
      r.put("modbus_polls_per_s", round(w.modbusPolls(rig) / w.seconds));
      finish(rig, r);
      return r;
    }
  }

  /**
   * The {@link #steady} load with a technician's bulk import in its measured window: after a third
   * of the window, {@code importDevices} new gas detectors are imported through the admin API (dry
   * run, then apply, generated passwords returned). Reports the import's wall time, the gateway's
   * CPU during it and what of that the import added over the steady load's own rate (a figure the
   * box's other load moves much less than the wall time), and the steady load's latency for
   * messages sent during the import and outside it.
   */
  Map<String, Object> steadyImport() throws Exception {
    String token = GatewayConfigWriter.randomToken();
    try (GatewayRig rig = new GatewayRig(work, gateway, profiles, "steady-import", p.steadyDevices(),
        i -> new SimDevice(id(i), DeviceKind.ofIndex(i), 0.1), 8, p.modbusLinks(), p.modbusUnitsPerLink(), gatewayJvmArgs,
        List.of(), token)) {
      AdminImport admin = new AdminImport(rig.adminPort, token);
      byte[] csv = AdminImport.csv("imp-", p.importDevices());
      admin.template();
      rig.fleet.start(p.steadyRate());
      Pause.millis(p.warmupSeconds() * 1000L);
      rig.latencies.reset();
      rig.subscriber.resetBreakdown();
      Window w = new Window(rig);
      Pause.millis(Math.max(1, p.steadySeconds() / 3) * 1000L);
      double cpu0 = ProcStats.cpuSeconds(rig.gateway.pid());
      long t0 = System.nanoTime();
      rig.latencies.markFrom(t0);
      AdminImport.Result imported = admin.run(csv, p.importDevices());
      long t1 = System.nanoTime();
      rig.latencies.markTo(t1);
      double importCpu = ProcStats.cpuSeconds(rig.gateway.pid()) - cpu0;
      // The steady load's own CPU goes on during the import: what the import added is the rest.
      double steadyCpuPerSecond = (cpu0 - w.cpu0) / ((t0 - w.t0) / 1e9);
      double importExtraCpu = importCpu - steadyCpuPerSecond * (t1 - t0) / 1e9;
      long rest = p.steadySeconds() * 1000L - (t1 - w.t0) / 1_000_000;
      Pause.millis(Math.max(1000, rest));
      Map<String, Object> r = w.close(rig);
      r.put("offered_rate_msgs_per_s", p.steadyRate());
      r.put("mqtt_devices", p.steadyDevices());
      r.put("modbus_devices", p.modbusLinks() * p.modbusUnitsPerLink());
      r.put("imported_devices", imported.created());
      r.put("credentials_returned", imported.credentialLines());
      r.put("import_dry_run_ms", imported.dryRunMs());
      r.put("import_apply_ms", imported.applyMs());
      r.put("import_wall_ms", imported.totalMs());
      r.put("import_gateway_cpu_s", round(importCpu));
      r.put("import_extra_cpu_s", round(importExtraCpu));
      finish(rig, r);
      r.put("latency_outside_import", r.remove("latency"));
      r.put("latency_during_import", rig.latencies.markedSummaryMs());
      return r;
    }
  }

  /** Closed loop, ~1 % alarms: the most the gateway ingests with every publish acknowledged after commit. */
  Map<String, Object> throughput() throws Exception {
    return throughput("throughput", gatewayJvmArgs);
  }

  /**
   * The same closed loop on a gateway JVM with the C2 JIT compiler ({@link #C2_JVM_FLAGS} after the
   * shipped edge flags): what the shipped C1-only line gives up in peak ingest for its footprint.
   */
  Map<String, Object> throughputC2() throws Exception {
    List<String> jvm = new java.util.ArrayList<>(gatewayJvmArgs);
    jvm.addAll(C2_JVM_FLAGS);
    Map<String, Object> r = throughput("throughput-c2", jvm);
    r.put("extra_jvm_flags", String.join(" ", C2_JVM_FLAGS));
    return r;
  }

  /**
   * 200 cameras pushing events over HTTP on 64 keep-alive connections, each answered after its
   * commit, beside a bare endpoint answering 200 at once ({@link HttpPushBench}).
   */
  Map<String, Object> httpPush() throws Exception {
    return new HttpPushBench(work, gateway, profiles, gatewayJvmArgs).run(200, 64, Math.max(1, p.warmupSeconds() / 2),
        p.throughputSeconds());
  }

  /** The outbox's memory bound with a backlog of {@code backlogAlerts} ({@link BacklogHeap}). */
  Map<String, Object> backlog() throws Exception {
    return BacklogHeap.run(work, p.backlogAlerts());
  }

  /**
   * Cameras (500 in the standard run) whose event streams one gateway holds, with keep-alives and
   * occasional events ({@link StreamsHeldBench}).
   */
  Map<String, Object> streamsHeld() throws Exception {
    return new StreamsHeldBench(work, gateway, profiles, gatewayJvmArgs).run(p.heldStreams(),
        p.heldStreamEventEverySeconds(), p.heldStreamsSeconds());
  }

  /** Re-enables C2 over the edge line (later flags win) with room for its code. */
  static final List<String> C2_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=4", "-XX:ReservedCodeCacheSize=48m");

  private Map<String, Object> throughput(String name, List<String> jvm) throws Exception {
    Map<String, Object> r = closedLoop(name, p.throughputDevices(), i -> new SimDevice(id(i), DeviceKind.ofIndex(i), 0.01),
        p.throughputWindow(), p.throughputSeconds(), jvm);
    r.put("window_per_device", p.throughputWindow());
    return r;
  }

  /** Every gas report raises or clears an alarm: alerts committed and delivered per second. */
  Map<String, Object> alertStorm() throws Exception {
    return closedLoop("alerts", p.alertDevices(), i -> new SimDevice(id(i), DeviceKind.GAS, 0.5), 16, p.alertSeconds(),
        gatewayJvmArgs);
  }

  /**
   * A fire alarm in a storm: {@code alertDevices} gas detectors report {@code low} / {@code normal}
   * (each report raises or clears a level-2 alarm) as fast as the gateway acknowledges them, first
   * with the city broker down until {@code stormBacklog} alerts wait in the outbox; then the broker
   * returns, the storm goes on at full rate and ten other detectors report {@code high} / {@code
   * normal} at {@code fireRate} reports/s in total (each a level-1 RAISED or CLEARED), from the
   * first alert the city gets after its return (the drain has begun). Level-1
   * latency (device publish to decoded at the city, so the commit is included) is measured over
   * {@code stormSeconds} of drain-under-storm; then both fleets stop and every alert is accounted for.
   */
  Map<String, Object> stormPriority() throws Exception {
    List<SimDevice> fire = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      fire.add(new SimDevice(String.format("fire-%02d", i), DeviceKind.GAS, 0.5));
    }
    try (GatewayRig rig = new GatewayRig(work, gateway, profiles, "storm-priority", p.alertDevices(),
        i -> new SimDevice(id(i), DeviceKind.GAS, 0.5, "low"), 16, 0, 0, gatewayJvmArgs, fire);
        DeviceFleet fires = new DeviceFleet(fire, 1, MqttQoS.AT_LEAST_ONCE, 4, DeviceFleet.Credit.ON_PUBACK,
            new Latencies())) {
      Latencies level1 = fires.latencies();
      rig.subscriber.alsoMatch(level1);
      fires.tagsFrom(1L << 40);
      fires.connect("127.0.0.1", rig.endpointPort, GatewayConfigWriter.PASSWORD, Duration.ofSeconds(60));
      rig.city.stop();
      long t0 = System.nanoTime();
      rig.fleet.start(0);
      while (rig.fleet.expectedAlerts.get() < p.stormBacklog()) {
        Pause.millis(5);
      }
      double buildSeconds = (System.nanoTime() - t0) / 1e9;
      long backlogAtReturn = rig.fleet.expectedAlerts.get() - rig.subscriber.alerts.get();
      long returned = System.nanoTime();
      rig.city.start();
      // The level-1 alarms start once the drain has (the uplink's reconnect back-off is not what is measured).
      long reconnectDeadline = returned + Duration.ofSeconds(60).toNanos();
      while (rig.subscriber.alerts.get() == 0 && System.nanoTime() < reconnectDeadline) {
        Pause.millis(5);
      }
      double reconnectSeconds = (System.nanoTime() - returned) / 1e9;
      fires.start(p.fireRate());
      Window w = new Window(rig);
      Pause.millis(p.stormSeconds() * 1000L);
      Map<String, Object> r = w.close(rig);
      long backlogAtEnd = rig.fleet.expectedAlerts.get() - rig.subscriber.alerts.get();
      fires.stop();
      rig.fleet.stop();
      boolean allAcked = rig.fleet.awaitAcked(Duration.ofSeconds(60)) && fires.awaitAcked(Duration.ofSeconds(60));
      long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
      while ((level1.outstanding() > 0 || rig.latencies.outstanding() > 0) && System.nanoTime() < deadline) {
        Pause.millis(20);
      }
      long expected = rig.fleet.expectedAlerts.get() + fires.expectedAlerts.get();
      r.put("level1_latency", level1.summaryMs());
      r.put("level1_alerts", fires.expectedAlerts.get());
      r.put("level1_missing", level1.outstanding());
      r.put("lower_alerts_missing", rig.latencies.outstanding());
      r.put("lower_latency", rig.latencies.summaryMs());
      r.put("backlog_build_s", round(buildSeconds));
      r.put("backlog_when_city_returned", backlogAtReturn);
      r.put("reconnect_delay_s", round(reconnectSeconds));
      r.put("backlog_at_window_end", backlogAtEnd);
      r.put("storm_devices", p.alertDevices());
      r.put("fire_devices", fire.size());
      r.put("fire_reports_per_s", p.fireRate());
      r.put("acked_total", rig.fleet.acked.get() + fires.acked.get());
      r.put("sent_total", rig.fleet.sent.get() + fires.sent.get());
      r.put("disconnects", rig.fleet.disconnects.get() + fires.disconnects.get());
      r.put("alerts_received_total", rig.subscriber.alerts.get());
      r.put("alerts_expected_total", expected);
      r.put("duplicates_at_city", rig.subscriber.duplicates.get());
      r.put("zero_loss", allAcked && level1.outstanding() == 0 && rig.latencies.outstanding() == 0
          && rig.fleet.disconnects.get() + fires.disconnects.get() == 0);
      r.put("peak_rss_mib", round(ProcStats.peakRssMib(rig.gateway.pid())));
      return r;
    }
  }

  /** Every device keeps {@code window} publishes in flight; measured for {@code seconds} after a warm-up. */
  private Map<String, Object> closedLoop(String name, int devices, IntFunction<SimDevice> device,
      int window, int seconds, List<String> jvm) throws Exception {
    try (GatewayRig rig = new GatewayRig(work, gateway, profiles, name, devices, device, window, 0, 0, jvm)) {
      rig.fleet.start(0);
      Pause.millis(Math.max(1, p.warmupSeconds() / 2) * 1000L);
      rig.latencies.reset();
      rig.subscriber.resetBreakdown();
      Window w = new Window(rig);
      Pause.millis(seconds * 1000L);
      Map<String, Object> r = w.close(rig);
      r.put("devices", devices);
      finish(rig, r);
      return r;
    }
  }

  /**
   * Outage: the city broker is stopped, alarms are committed into the outbox until the backlog
   * holds {@code drainAlerts}, the broker is restarted, and the drain is timed from the first alert
   * that reaches the city to the last (the uplink's reconnect back-off is reported separately).
   */
  Map<String, Object> drain() throws Exception {
    try (GatewayRig rig = new GatewayRig(work, gateway, profiles, "drain", 100,
        i -> new SimDevice(id(i), DeviceKind.GAS, 0.5), 16, 0, 0, gatewayJvmArgs)) {
      rig.city.stop();
      long before = rig.subscriber.alerts.get();
      long t0 = System.nanoTime();
      rig.fleet.start(0);
      while (rig.fleet.expectedAlerts.get() < p.drainAlerts()) {
        Pause.millis(5);
      }
      rig.fleet.stop();
      boolean committed = rig.fleet.awaitAcked(Duration.ofSeconds(120));
      double buildSeconds = (System.nanoTime() - t0) / 1e9;
      long backlog = rig.fleet.expectedAlerts.get();
      rig.subscriber.firstArrivalNanos = 0;
      long restart = System.nanoTime();
      rig.city.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while (rig.subscriber.alerts.get() - before < backlog && System.nanoTime() < deadline) {
        Pause.millis(5);
      }
      long delivered = rig.subscriber.alerts.get() - before;
      double drainSeconds = (rig.subscriber.lastArrivalNanos - rig.subscriber.firstArrivalNanos) / 1e9;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("backlog_alerts", backlog);
      r.put("backlog_build_s", round(buildSeconds));
      r.put("all_committed_before_restart", committed);
      r.put("delivered_alerts", delivered);
      r.put("reconnect_delay_s", round((rig.subscriber.firstArrivalNanos - restart) / 1e9));
      r.put("drain_s", round(drainSeconds));
      r.put("drain_alerts_per_s", round(delivered / Math.max(drainSeconds, 1e-3)));
      r.put("duplicates_at_city", rig.subscriber.duplicates.get());
      r.put("peak_rss_mib", round(ProcStats.peakRssMib(rig.gateway.pid())));
      return r;
    }
  }

  /**
   * Restart: the steady fleet logs in once (every login a full PBKDF2 check), the gateway is
   * stopped and started again on the same data dir, and the fleet reconnects at once. Timed from
   * the second launch until every device has its CONNACK, and until as many PUBACKs as devices
   * arrived (each device publishes one reading, window 1). The gateway's CPU seconds at each point
   * (user + system since launch) say how much of the time was its own work, whatever the load.
   */
  Map<String, Object> restart() throws Exception {
    Path dir = freshDir(work.resolve("restart"));
    List<SimDevice> devices = new java.util.ArrayList<>();
    for (int i = 0; i < p.steadyDevices(); i++) {
      devices.add(new SimDevice(id(i), DeviceKind.GAS, 0));
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("devices", devices.size());
    try (MosquittoBroker city = MosquittoBroker.start(Files.createDirectories(dir.resolve("city-broker")))) {
      int port = FreePort.next();
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(config, GatewayConfigWriter.yaml(dir.resolve("data").toString(), profiles.toString(), port,
          city.port(), devices, List.of(), 0));
      try (GatewayProcess first = gateway.start(config, gatewayJvmArgs)) {
        first.awaitReady(Duration.ofSeconds(60));
        try (DeviceFleet fleet = new DeviceFleet(devices, 2, MqttQoS.AT_LEAST_ONCE, 1, DeviceFleet.Credit.ON_PUBACK,
            new Latencies())) {
          long t0 = System.nanoTime();
          fleet.connect("127.0.0.1", port, GatewayConfigWriter.PASSWORD, Duration.ofSeconds(600));
          r.put("first_start_all_connected_ms", (System.nanoTime() - t0) / 1_000_000);
        }
      }
      try (GatewayProcess second = gateway.start(config, gatewayJvmArgs)) {
        r.put("restart_ready_ms", second.awaitReady(Duration.ofSeconds(60)).wallMs());
        r.put("restart_cpu_s_to_ready", round(ProcStats.cpuSeconds(second.pid())));
        try (DeviceFleet fleet = new DeviceFleet(devices, 2, MqttQoS.AT_LEAST_ONCE, 1, DeviceFleet.Credit.ON_PUBACK,
            new Latencies())) {
          fleet.connect("127.0.0.1", port, GatewayConfigWriter.PASSWORD, Duration.ofSeconds(600));
          r.put("restart_to_all_connected_ms", (System.nanoTime() - second.launchedNanos()) / 1_000_000);
          r.put("restart_cpu_s_to_all_connected", round(ProcStats.cpuSeconds(second.pid())));
          fleet.start(0);
          while (fleet.acked.get() < devices.size()) {
            Pause.millis(5);
          }
          fleet.stop();
          r.put("restart_to_pubacks_ms", (System.nanoTime() - second.launchedNanos()) / 1_000_000);
          r.put("restart_cpu_s_to_pubacks", round(ProcStats.cpuSeconds(second.pid())));
        }
        r.put("peak_rss_mib", round(ProcStats.peakRssMib(second.pid())));
      }
    }
    return r;
  }

  /** Only the 1,000 Modbus detectors: the gateway's CPU for polling them every second. */
  Map<String, Object> modbusOnly() throws Exception {
    try (GatewayRig rig = new GatewayRig(work, gateway, profiles, "modbus", 0, i -> null, 1,
        p.modbusLinks(), p.modbusUnitsPerLink(), gatewayJvmArgs)) {
      Pause.millis(5000);
      Window w = new Window(rig);
      Pause.millis(p.modbusOnlySeconds() * 1000L);
      Map<String, Object> r = new LinkedHashMap<>();
      double cpu = ProcStats.cpuSeconds(rig.gateway.pid()) - w.cpu0;
      r.put("modbus_devices", p.modbusLinks() * p.modbusUnitsPerLink());
      r.put("links", p.modbusLinks());
      r.put("polls_per_s", round(w.modbusPolls(rig) / ((System.nanoTime() - w.t0) / 1e9)));
      r.put("gateway_cpu_percent_of_one_core", round(100 * cpu / ((System.nanoTime() - w.t0) / 1e9)));
      r.put("peak_rss_mib", round(ProcStats.peakRssMib(rig.gateway.pid())));
      return r;
    }
  }

  /** Mosquitto alone passing the same messages to one subscriber: the physical limit of a broker hop. */
  Map<String, Object> mosquitto(int qos, boolean steady) throws Exception {
    Path dir = freshDir(work.resolve("mosquitto-qos" + qos + (steady ? "-steady" : "")));
    Latencies lat = new Latencies();
    int devices = steady ? p.steadyDevices() : p.throughputDevices();
    List<SimDevice> sims = new java.util.ArrayList<>();
    for (int i = 0; i < devices; i++) {
      sims.add(new SimDevice(id(i), DeviceKind.ofIndex(i), steady ? 0.1 : 0.01));
    }
    try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")))) {
      DeviceFleet fleet = new DeviceFleet(sims, 2, MqttQoS.valueOf(qos), steady ? 8 : p.throughputWindow(),
          DeviceFleet.Credit.ON_DELIVERY, lat);
      CitySubscriber sub = new CitySubscriber(CitySubscriber.Mode.RAW, "devices/+/event", qos, lat, fleet::delivered, n -> { });
      try (sub; fleet) {
        sub.start(broker.port());
        fleet.connect("127.0.0.1", broker.port(), "x", Duration.ofSeconds(60));
        fleet.start(steady ? p.steadyRate() : 0);
        Pause.millis((steady ? p.warmupSeconds() : Math.max(1, p.warmupSeconds() / 5)) * 1000L);
        lat.reset();
        long m0 = sub.messages.get();
        double c0 = ProcStats.cpuSeconds(broker.pid());
        long t0 = System.nanoTime();
        Pause.millis((steady ? p.steadySeconds() / 2 : p.baselineSeconds()) * 1000L);
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("qos", qos);
        r.put("devices", devices);
        r.put(steady ? "offered_rate_msgs_per_s" : "mode", steady ? p.steadyRate() : "closed loop");
        r.put("delivered_msgs_per_s", round((sub.messages.get() - m0) / secs));
        r.put("broker_cpu_percent_of_one_core", round(100 * (ProcStats.cpuSeconds(broker.pid()) - c0) / secs));
        r.put("broker_peak_rss_mib", round(ProcStats.peakRssMib(broker.pid())));
        fleet.stop();
        r.put("latency", lat.summaryMs());
        return r;
      }
    }
  }

  /** Node-RED 4.1 doing the same job; see {@link NodeRedPeer}. */
  Map<String, Object> nodeRed(boolean forwardAll, Path nodeRedHome) throws Exception {
    Path dir = freshDir(work.resolve("node-red-" + (forwardAll ? "forward" : "filter")));
    Latencies lat = new Latencies();
    List<SimDevice> sims = new java.util.ArrayList<>();
    for (int i = 0; i < p.throughputDevices(); i++) {
      sims.add(new SimDevice(id(i), DeviceKind.ofIndex(i), 0.01));
    }
    try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")))) {
      DeviceFleet fleet = new DeviceFleet(sims, 2, MqttQoS.AT_LEAST_ONCE, p.throughputWindow(), DeviceFleet.Credit.GLOBAL, lat);
      CitySubscriber sub = new CitySubscriber(CitySubscriber.Mode.NODE_RED, "bench/nodered/#", 1, lat, id -> { }, fleet::processed);
      try (NodeRedPeer red = NodeRedPeer.start(nodeRedHome, dir, broker.port(), forwardAll); sub; fleet) {
        sub.start(broker.port());
        fleet.connect("127.0.0.1", broker.port(), "x", Duration.ofSeconds(60));
        fleet.start(0);
        Pause.millis(Math.max(2, p.warmupSeconds() / 2) * 1000L);
        lat.reset();
        long processed0 = red.processed(sub);
        long a0 = sub.alerts.get();
        double c0 = ProcStats.cpuSeconds(red.pid());
        long t0 = System.nanoTime();
        Pause.millis(p.baselineSeconds() * 1000L);
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("version", red.version());
        r.put("flow", forwardAll ? "MQTT in (auto-detect JSON) -> function (normalise, forward all) -> MQTT out"
            : "MQTT in (auto-detect JSON) -> function (normalise, threshold filter) -> MQTT out");
        r.put("devices", p.throughputDevices());
        r.put("processed_msgs_per_s", round((red.processed(sub) - processed0) / secs));
        r.put("forwarded_msgs_per_s", round((sub.alerts.get() - a0) / secs));
        r.put("node_cpu_percent_of_one_core", round(100 * (ProcStats.cpuSeconds(red.pid()) - c0) / secs));
        r.put("peak_rss_mib", round(ProcStats.peakRssMib(red.pid())));
        fleet.stop();
        r.put("latency", lat.summaryMs());
        return r;
      }
    }
  }

  /** Counters at the start of a measurement window. */
  private static final class Window {
    final long t0 = System.nanoTime();
    final double cpu0;
    final long sent0;
    final long acked0;
    final long alerts0;
    final long polls0;
    double seconds;

    Window(GatewayRig rig) {
      cpu0 = ProcStats.cpuSeconds(rig.gateway.pid());
      sent0 = rig.fleet.sent.get();
      acked0 = rig.fleet.acked.get();
      alerts0 = rig.subscriber.alerts.get();
      polls0 = rig.modbus == null ? 0 : rig.modbus.requests.get();
    }

    double modbusPolls(GatewayRig rig) {
      return rig.modbus == null ? 0 : rig.modbus.requests.get() - polls0;
    }

    Map<String, Object> close(GatewayRig rig) {
      seconds = (System.nanoTime() - t0) / 1e9;
      double cpu = ProcStats.cpuSeconds(rig.gateway.pid()) - cpu0;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("measured_s", round(seconds));
      r.put("sent_msgs_per_s", round((rig.fleet.sent.get() - sent0) / seconds));
      r.put("ingest_msgs_per_s", round((rig.fleet.acked.get() - acked0) / seconds));
      r.put("alerts_delivered_per_s", round((rig.subscriber.alerts.get() - alerts0) / seconds));
      r.put("gateway_cpu_percent_of_one_core", round(100 * cpu / seconds));
      r.put("gateway_cpu_seconds", round(cpu));
      return r;
    }
  }

  /** Stops the load, accounts for everything sent, and adds the figures that cover the whole run. */
  private static void finish(GatewayRig rig, Map<String, Object> r) throws Exception {
    rig.fleet.stop();
    boolean allAcked = rig.fleet.awaitAcked(Duration.ofSeconds(60));
    boolean allAlerts = rig.awaitTaggedAlerts(Duration.ofSeconds(60));
    r.put("sent_total", rig.fleet.sent.get());
    r.put("acked_total", rig.fleet.acked.get());
    r.put("publish_failures", rig.fleet.failed.get());
    r.put("disconnects", rig.fleet.disconnects.get());
    r.put("generator_stalls", rig.fleet.stalls.get());
    r.put("tagged_alerts_missing", rig.latencies.outstanding());
    r.put("zero_loss", allAcked && allAlerts && rig.fleet.disconnects.get() == 0);
    r.put("alerts_received_total", rig.subscriber.alerts.get());
    r.put("alerts_expected_total", rig.fleet.expectedAlerts.get());
    r.put("duplicates_at_city", rig.subscriber.duplicates.get());
    r.put("alert_batches_received", rig.subscriber.batches.get());
    r.put("latency", rig.latencies.summaryMs());
    r.put("latency_breakdown", rig.subscriber.breakdownMs());
    r.put("peak_rss_mib", round(ProcStats.peakRssMib(rig.gateway.pid())));
    r.put("startup_ready_wall_ms", rig.ready.wallMs());
    r.put("startup_ms_reported", rig.ready.reportedMs());
    r.put("devices_connect_ms", rig.connectMs);
  }

  /** An empty directory at {@code dir} (left-overs of an earlier run removed). */
  static Path freshDir(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    return Files.createDirectories(dir);
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
