package io.commguard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code java -jar bench/target/bench.jar all|smoke|jmh}: runs the standard scenarios (or the
 * seconds-long smoke run) and writes {@code result.json}, {@code REPORT.md} and {@code chart.png};
 * {@code jmh} runs the micro-benchmarks.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "CommGuard benchmark harness (issue 6).")
public final class BenchMain implements Callable<Integer> {
  private static final System.Logger LOG = System.getLogger(BenchMain.class.getName());
  /** Vert.x logs every client connection at INFO; 1,000 simulated devices would drown the output. */
  private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.vertx");

  @Parameters(index = "0", description = "all | smoke | report (rewrite REPORT.md and chart.png from result.json) | jmh [JMH arguments]")
  String what;

  @Option(names = "--gateway-jar", defaultValue = "gateway/target/gateway.jar")
  Path gatewayJar;

  @Option(names = "--launcher", defaultValue = "deploy/commguard-gateway", description = "the shipped launcher the gateway is started with")
  Path launcher;

  @Option(names = "--without-cds-archive", description = "start the gateway without its class-data archive (what a site gets before `commguard-gateway cds-archive`)")
  boolean withoutCdsArchive;

  @Option(names = "--profiles", defaultValue = "device-profiles")
  Path profiles;

  @Option(names = "--out", description = "where result.json, REPORT.md and chart.png go; default bench/results for 'all', "
      + "bench/target/smoke-results for 'smoke' (so a smoke run never overwrites the published results)")
  Path out;

  @Option(names = "--work", defaultValue = "bench/target/work", description = "scratch directory (configs, logs, data)")
  Path work;

  @Option(names = "--node-red-home", defaultValue = "bench/target/node-red", description = "npm prefix of Node-RED 4.1")
  Path nodeRedHome;

  @Option(names = "--only", split = ",", description = "run only these scenarios (steady, steady_import, throughput, throughput_c2, alerts, drain, backlog, storm_priority, restart, http_push, streams_held, modbus, mosquitto, node-red, jmh)")
  List<String> only = new ArrayList<>();

  @Option(names = "--uplink", description = "extra uplink keys in YAML flow style, e.g. 'batchMaxDelayMs: 5' (default: the gateway's defaults)")
  String uplinkExtra = "";

  @Option(names = "--import-devices", description = "devices in steady_import's import (default: 5,000; 50 in a smoke run)")
  Integer importDevices;

  @Option(names = "--held-streams", description = "cameras in streams_held (default: 500; 10 in a smoke run)")
  Integer heldStreams;

  @Option(names = "--held-streams-seconds", description = "measured window of streams_held in seconds (default: 60; 3 in a smoke run)")
  Integer heldStreamsSeconds;

  @Option(names = "--gateway-jvm-arg", description = "extra JVM argument for the gateway (e.g. JFR)")
  List<String> gatewayJvmArgs = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the harness in this JVM; returns the exit status (the smoke test calls this). */
  public static int run(String... args) {
    QUIET.setLevel(java.util.logging.Level.WARNING);
    if (args.length > 0 && args[0].equals("jmh")) {
      // JMH parses its own options (-f, -wi, ...): hand them over untouched.
      try {
        org.openjdk.jmh.Main.main(java.util.Arrays.copyOfRange(args, 1, args.length));
        return 0;
      } catch (Exception e) {
        e.printStackTrace();
        return 1;
      }
    }
    return new CommandLine(new BenchMain()).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    if (what.equals("report")) {
      Path dir = out == null ? Path.of("bench/results") : out;
      Report.rewrite(dir);
      System.out.println("Rewrote " + dir.resolve("REPORT.md") + " and chart.png from result.json");
      return 0;
    }
    Params p = switch (what) {
      case "all" -> Params.standard();
      case "smoke" -> Params.smoke();
      default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown run '" + what + "'");
    };
    if (importDevices != null) {
      p = p.withImportDevices(importDevices);
    }
    if (heldStreams != null || heldStreamsSeconds != null) {
      p = p.withHeldStreams(heldStreams == null ? p.heldStreams() : heldStreams,
          heldStreamsSeconds == null ? p.heldStreamsSeconds() : heldStreamsSeconds);
    }
    if (out == null) {
      out = Path.of(what.equals("all") ? "bench/results" : "bench/target/smoke-results");
    }
    if (!Files.isRegularFile(gatewayJar)) {
      System.err.println("No gateway jar at " + gatewayJar + "; build it first: mvn -q -pl gateway -am package -DskipTests");
      return 2;
    }
    Files.createDirectories(work);
    GatewayConfigWriter.uplinkExtra = uplinkExtra;
    List<String> jvm = new ArrayList<>(gatewayJvmArgs);
    EdgeJvm gateway = EdgeJvm.prepare(launcher.toAbsolutePath(), gatewayJar.toAbsolutePath(), !withoutCdsArchive,
        work.toAbsolutePath());
    Scenarios s = new Scenarios(work.toAbsolutePath(), gateway, profiles.toAbsolutePath(), p, jvm);
    Map<String, Object> scenarios = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    notes.add("Load average when the run started: " + Machine.loadAverage() + " (1, 5, 15 min) on "
        + Runtime.getRuntime().availableProcessors() + " cores. Other builds share this machine; each scenario records "
        + "the load average before and after it. A load above the core count means the peers under test got less CPU "
        + "than they asked for, which lowers their throughput and lengthens the latency tail.");
    step(scenarios, "steady", () -> s.steady());
    step(scenarios, "steady_import", () -> s.steadyImport());
    step(scenarios, "throughput", () -> s.throughput());
    if (what.equals("all")) {
      step(scenarios, "throughput_c2", () -> s.throughputC2());
    }
    step(scenarios, "alerts", () -> s.alertStorm());
    step(scenarios, "drain", () -> s.drain());
    step(scenarios, "backlog", () -> s.backlog());
    if (what.equals("all") || only.contains("storm_priority")) {
      // Its 100,000-alert backlog takes minutes; the test suite's smoke run leaves it out unless asked.
      step(scenarios, "storm_priority", () -> s.stormPriority());
    }
    step(scenarios, "restart", () -> s.restart());
    step(scenarios, "http_push", () -> s.httpPush());
    step(scenarios, "streams_held", () -> s.streamsHeld());
    if (p.modbusOnlySeconds() > 0) {
      step(scenarios, "modbus", () -> s.modbusOnly());
    }
    if (wanted("mosquitto")) {
      boolean full = what.equals("all");
      if (full) {
        step(scenarios, "mosquitto_qos0", () -> s.mosquitto(0, false));
      }
      step(scenarios, "mosquitto_qos1", () -> s.mosquitto(1, false));
      if (full) {
        step(scenarios, "mosquitto_qos1_steady", () -> s.mosquitto(1, true));
      }
    }
    if (p.nodeRed() && wanted("node-red")) {
      if (NodeRedPeer.redJs(nodeRedHome) == null) {
        LOG.log(System.Logger.Level.INFO, "Installing Node-RED 4.1 with npm home=" + nodeRedHome);
        int rc = NodeRedPeer.install(nodeRedHome.toAbsolutePath());
        if (rc != 0) {
          notes.add("Node-RED could not be installed (npm exit " + rc + ", log " + nodeRedHome.resolve("npm-install.log")
              + "); Node-RED figures below are NOT measured.");
        }
      }
      if (NodeRedPeer.redJs(nodeRedHome) != null) {
        step(scenarios, "node_red_filter", () -> s.nodeRed(false, nodeRedHome.toAbsolutePath()));
        step(scenarios, "node_red_forward", () -> s.nodeRed(true, nodeRedHome.toAbsolutePath()));
      } else {
        scenarios.put("node_red_published", "NOT MEASURED here; issue 6 quotes ~45,000 msg/s filtering, ~32,000 msg/s "
            + "forwarding everything, ~300 MB peak RSS (Node-RED 4.1 on this class of box)");
      }
    }
    if (what.equals("all") && wanted("jmh")) {
      step(scenarios, "jmh", () -> Micro.run(profiles.toAbsolutePath().toString()));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("run", p.name());
    result.put("finished", Instant.now().toString());
    result.put("machine", Machine.describe());
    result.put("gateway_jvm", gateway.describe(jvm));
    result.put("params", p);
    result.put("uplink_overrides", uplinkExtra.isBlank() ? "none (gateway defaults)" : uplinkExtra);
    result.put("targets", Targets.evaluate(scenarios));
    result.put("scenarios", scenarios);
    result.put("notes", notes);
    Report.write(out, result);
    System.out.println("Wrote " + out.resolve("REPORT.md") + ", result.json and chart.png");
    return 0;
  }

  private interface Step {
    Map<String, Object> run() throws Exception;
  }

  private boolean wanted(String name) {
    return only.isEmpty() || only.contains(name);
  }

  private void step(Map<String, Object> scenarios, String name, Step step) {
    String family = name.startsWith("mosquitto") ? "mosquitto" : name.startsWith("node_red") ? "node-red" : name;
    if (!wanted(family)) {
      return;
    }
    System.out.println("Scenario " + name + " ...");
    try {
      String loadBefore = Machine.loadAverage();
      Map<String, Object> r = new LinkedHashMap<>(step.run());
      r.put("load_average_before", loadBefore);
      r.put("load_average_after", Machine.loadAverage());
      scenarios.put(name, r);
      System.out.println("Scenario " + name + " done: " + r);
    } catch (Exception e) {
      LOG.log(System.Logger.Level.ERROR, "Scenario failed scenario=" + name, e);
      scenarios.put(name, Map.of("error", String.valueOf(e)));
    }
  }
}
