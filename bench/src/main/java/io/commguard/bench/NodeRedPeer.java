package io.commguard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.commguard.gateway.testsupport.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Node-RED 4.1, the peer community integrators deploy, run headless with the flow a typical
 * integration uses: MQTT in (JSON auto-detected and parsed) → function node (normalise to one event
 * shape, threshold filter) → MQTT out. Installed with npm into {@code <home>} by {@link #install}.
 */
final class NodeRedPeer implements AutoCloseable {
  private final Process process;
  private final String version;

  private NodeRedPeer(Process process, String version) {
    this.process = process;
    this.version = version;
  }

  /** Path of red.js in an installation, or null when Node-RED is not installed there. */
  static Path redJs(Path home) {
    Path js = home.resolve("node_modules/node-red/red.js");
    return Files.isRegularFile(js) ? js : null;
  }

  /** {@code npm install node-red@4.1} into {@code home}; returns npm's exit status. */
  static int install(Path home) throws IOException, InterruptedException {
    Files.createDirectories(home);
    Process p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", home.toString(), "node-red@4.1")
        .redirectErrorStream(true).redirectOutput(home.resolve("npm-install.log").toFile()).start();
    return p.waitFor(600, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  static NodeRedPeer start(Path home, Path dir, int brokerPort, boolean forwardAll) throws Exception {
    Path redJs = redJs(home);
    if (redJs == null) {
      throw new IllegalStateException("Node-RED is not installed in " + home);
    }
    Path user = Files.createDirectories(dir.resolve("userdir"));
    String function;
    try (InputStream in = NodeRedPeer.class.getResourceAsStream("/nodered/function.js")) {
      function = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("__FORWARD_ALL__", Boolean.toString(forwardAll));
    }
    List<Map<String, Object>> flow = List.of(
        node("id", "tab1", "type", "tab", "label", "bench"),
        node("id", "broker1", "type", "mqtt-broker", "name", "site", "broker", "127.0.0.1", "port", Integer.toString(brokerPort),
            "clientid", "nodered-bench", "autoConnect", true, "usetls", false, "protocolVersion", "4", "keepalive", "60",
            "cleansession", true),
        node("id", "in1", "type", "mqtt in", "z", "tab1", "name", "devices", "topic", "devices/+/event", "qos", "1",
            "datatype", "auto-detect", "broker", "broker1", "nl", false, "rap", true, "rh", 0, "inputs", 0,
            "wires", List.of(List.of("fn1"))),
        node("id", "fn1", "type", "function", "z", "tab1", "name", "normalise + threshold", "func", function,
            "outputs", 1, "wires", List.of(List.of("out1"))),
        node("id", "out1", "type", "mqtt out", "z", "tab1", "name", "alarms", "topic", "", "qos", "1", "retain", "false",
            "broker", "broker1", "wires", List.of()));
    Files.writeString(user.resolve("flows.json"), new ObjectMapper().writeValueAsString(flow));
    Files.writeString(user.resolve("settings.js"), """
        module.exports = {
          uiHost: "127.0.0.1",
          uiPort: %d,
          flowFile: "flows.json",
          httpAdminRoot: false,
          httpNodeRoot: false,
          credentialSecret: false,
          logging: { console: { level: "info", metrics: false, audit: false } },
          editorTheme: { tours: false }
        };
        """.formatted(FreePort.next()));
    Path log = dir.resolve("node-red.log");
    Process p = new ProcessBuilder("node", redJs.toString(), "--userDir", user.toString(), "--settings",
        user.resolve("settings.js").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      if (text.contains("Connected to broker")) {
        String v = text.lines().filter(l -> l.contains("Node-RED version")).findFirst().orElse("Node-RED version: ?");
        return new NodeRedPeer(p, v.substring(v.indexOf("Node-RED version")).trim());
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("Node-RED exited; see " + log);
      }
      Pause.millis(100);
    }
    p.destroyForcibly();
    throw new IllegalStateException("Node-RED did not connect to the broker within 60 s; see " + log);
  }

  private static Map<String, Object> node(Object... keyValues) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  long pid() {
    return process.pid();
  }

  String version() {
    return version;
  }

  /** Messages the flow has processed, as last reported on its progress topic. */
  long processed(CitySubscriber sub) {
    return sub.progress.get();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
