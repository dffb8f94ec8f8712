package io.commguard.gateway.demo;

import io.commguard.gateway.receiver.AlertPrinter;
import io.commguard.gateway.security.PasswordHash;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One demo run: the in-process city endpoint, the devices with fresh random passwords, and the
 * gateway config that ties them together (the same YAML an installer writes).
 */
public final class DemoRun implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, DemoDevice> devices = new LinkedHashMap<>();
  private int cityPort;
  private int endpointPort;

  private DemoRun() {}

  public static DemoRun prepare() throws IOException {
    DemoRun run = new DemoRun();
    run.cityPort = new DemoCityEndpoint(run.vertx, alert -> System.out.println("CITY <- " + AlertPrinter.line(alert)))
        .start().await();
    run.endpointPort = freePort();
    run.add("cam-north", "hikvision-isapi-camera");
    run.add("cam-facade", "hikvision-isapi-camera");
    run.add("cam-gate", "dahua-ipc-event-stream");
    run.add("door-b3", "hikvision-access-controller");
    run.add("gas-kitchen-101", "generic-nbiot-gas-detector");
    run.add("gas-kitchen-102", "generic-nbiot-gas-detector");
    run.add("gas-boiler", "generic-nbiot-gas-detector");
    return run;
  }

  private void add(String id, String profile) {
    devices.put(id, new DemoDevice(id, profile, HexFormat.of().formatHex(randomBytes(12))));
  }

  /**
   * The gateway config for this run: embedded endpoint on loopback, uplink to the city endpoint.
   *
   * @param profilesDir profiles that add to or replace the built-in ones, or null for none
   */
  public String configYaml(Path dataDir, Path profilesDir) {
    StringBuilder yaml = new StringBuilder()
        .append("gatewayId: demo-gw-310115\n")
        .append("dataDir: '").append(dataDir).append("'\n");
    if (profilesDir != null) {
      yaml.append("profilesDir: '").append(profilesDir).append("'\n");
    }
    yaml
        .append("deviceEndpoint: {enabled: true, host: 127.0.0.1, port: ").append(endpointPort).append("}\n")
        .append("uplink: {brokerUrl: 'tcp://127.0.0.1:").append(cityPort).append("', ackMode: platform}\n")
        .append("devices:\n");
    int floor = 1;
    for (DemoDevice d : devices.values()) {
      yaml.append("  - id: ").append(d.id).append('\n')
          .append("    profile: ").append(d.profile).append('\n')
          .append("    passwordHash: '").append(PasswordHash.hash(d.password.toCharArray())).append("'\n")
          .append("    site: {communityCode: '310115001', gridCell: G-07, building: '3', unit: '1', floor: '")
          .append(floor++).append("'}\n")
          .append("    location: ").append(d.id).append('\n');
    }
    return yaml.toString();
  }

  /** Connects the devices and plays the scenario until interrupted or {@code seconds} elapse (0: forever). */
  public void runDevices(int seconds) throws Exception {
    for (DemoDevice d : devices.values()) {
      d.connect(endpointPort);
    }
    System.out.println("Demo running: " + devices.size() + " devices -> gateway (MQTT 127.0.0.1:" + endpointPort
        + ") -> city endpoint (127.0.0.1:" + cityPort + "). Alerts appear below as CITY <- lines. Ctrl-C stops.");
    DemoScenario scenario = new DemoScenario(devices);
    long start = System.nanoTime();
    try {
      for (long t = 0; seconds == 0 || t < seconds; t++) {
        scenario.second(t);
        long wait = start + (t + 1) * 1_000_000_000L - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    } catch (InterruptedException e) {
      // Ctrl-C: fall through to disconnect the devices while the gateway still runs
    } finally {
      devices.values().forEach(DemoDevice::close);
    }
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
