package io.commguard.gateway.fault;

import io.commguard.alert.v1.Alert;
import io.commguard.gateway.receiver.CityReceiver;
import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One fault scenario's world: a real city Mosquitto, the reference receiver (in the test JVM,
 * writing its SQLite file), the packaged gateway as a child process with its embedded device
 * endpoint, and a fleet of simulated gas detectors.
 */
final class FaultRig implements AutoCloseable {
  static final String GATEWAY_ID = "gw-fault";
  static final String PROFILE_ID = "fault-load-gas-detector";
  static final String DEVICE_PASSWORD = "device-secret-1";

  final Path dir;
  private final String scenarioName;
  final Path dataDir;
  final MosquittoBroker cityBroker;
  final int endpointPort = FreePort.next();
  final List<String> deviceIds = new ArrayList<>();
  final Set<String> receivedTokens = ConcurrentHashMap.newKeySet();
  final List<Alert> gatewayAlerts = new CopyOnWriteArrayList<>();
  /** Every alert the receiver stored, in arrival order (a re-sent sequence is stored once). */
  final List<Alert> cityAlerts = new CopyOnWriteArrayList<>();
  private final String passwordHash = PasswordHash.hash(DEVICE_PASSWORD.toCharArray());
  CityReceiver receiver;
  GatewayProcess gateway;
  DeviceFleet fleet;

  FaultRig(Path dir, String scenarioName, int devices) throws IOException {
    this.dir = dir;
    this.scenarioName = scenarioName;
    this.dataDir = dir.resolve("data");
    this.cityBroker = MosquittoBroker.start(dir);
    for (int i = 0; i < devices; i++) {
      deviceIds.add(String.format("gas-%02d", i));
    }
    writeProfile();
  }

  /** Writes the gateway config; {@code uplinkUrl} may point at a proxy instead of the broker. */
  Path writeConfig(String uplinkUrl, String outboxYaml) throws IOException {
    StringBuilder y = new StringBuilder();
    y.append("gatewayId: ").append(GATEWAY_ID).append('\n');
    y.append("dataDir: ").append(dataDir).append('\n');
    y.append("profilesDir: ").append(dir.resolve("profiles")).append('\n');
    y.append("deviceEndpoint:\n  enabled: true\n  host: 127.0.0.1\n  port: ").append(endpointPort).append('\n');
    y.append("devices:\n");
    for (String id : deviceIds) {
      y.append("  - id: ").append(id).append('\n');
      y.append("    profile: ").append(PROFILE_ID).append('\n');
      y.append("    passwordHash: \"").append(passwordHash).append("\"\n");
      y.append("    site: { communityCode: \"310115001\", gridCell: G-07, building: B").append(id.substring(4))
          .append(" }\n");
    }
    y.append("uplink:\n  brokerUrl: ").append(uplinkUrl).append('\n');
    y.append("  ackTimeoutMs: 2000\n  batchMaxAlerts: 200\n");
    if (outboxYaml != null) {
      y.append("outbox:\n").append(outboxYaml);
    }
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, y.toString());
    return config;
  }

  void startReceiver() throws Exception {
    receiver = new CityReceiver(CityReceiver.Options.of(cityBroker.url(), dir.resolve("received.db")), a -> {
      cityAlerts.add(a);
      String token = a.getAttributesMap().get("firmware");
      if (token != null) {
        receivedTokens.add(token);
      }
      if (a.getDevice().getDeviceId().equals(GATEWAY_ID)) {
        gatewayAlerts.add(a);
      }
    });
    receiver.start();
  }

  void stopReceiver() {
    receiver.close();
  }

  GatewayProcess startGateway(Path config) {
    gateway = new GatewayProcess(config, "-Xmx256m").start();
    awaitEndpoint();
    return gateway;
  }

  /** Waits until the restarted gateway's device endpoint accepts connections. */
  void awaitEndpoint() {
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), endpointPort)) {
        return true;
      } catch (IOException e) {
        if (!gateway.alive()) {
          throw new IllegalStateException("gateway exited:\n" + gateway.logText());
        }
        return false;
      }
    });
  }

  DeviceFleet startFleet(int messagesPerSecondPerDevice, int telemetryEvery) {
    fleet = new DeviceFleet("tcp://127.0.0.1:" + endpointPort, deviceIds, DEVICE_PASSWORD, messagesPerSecondPerDevice,
        telemetryEvery);
    fleet.start();
    return fleet;
  }

  boolean gatewayAlert(String nativeCode, io.commguard.alert.v1.AlertState state) {
    return gatewayAlerts.stream().anyMatch(a -> a.getNativeCode().equals(nativeCode) && a.getState() == state);
  }

  Map<String, String> lastGatewayAlertAttributes(String nativeCode) {
    Map<String, String> out = Map.of();
    for (Alert a : gatewayAlerts) {
      if (a.getNativeCode().equals(nativeCode)) {
        out = a.getAttributesMap();
      }
    }
    return out;
  }

  /** The shipped NB-IoT gas profile plus a {@code reading} status mapped to telemetry. */
  private void writeProfile() throws IOException {
    Path shipped = Path.of(System.getProperty("profiles.dir", "../device-profiles"),
        "generic", "nbiot-gas-detector", "profile.yaml");
    String text = Files.readString(shipped)
        .replaceFirst("(?m)^id: .*$", "id: " + PROFILE_ID)
        .replaceFirst("(?m)^(\\s+)warmup: (.*)$",
            "$1warmup: $2\n$1reading: { type: READING, kind: TELEMETRY, level: 4, phase: PULSE, description: Reading }");
    Path target = dir.resolve("profiles").resolve("test").resolve("fault-load-gas-detector");
    Files.createDirectories(target);
    Files.writeString(target.resolve("profile.yaml"), text);
  }

  @Override
  public void close() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    if (gateway != null) {
      gateway.stop();
      Path logs = Path.of("target", "fault-logs");
      Files.createDirectories(logs);
      Files.copy(gateway.log(), logs.resolve(scenarioName + ".log"), StandardCopyOption.REPLACE_EXISTING);
      receiver.close();
      for (Path db : new Path[] {dataDir.resolve("outbox.db"), dir.resolve("received.db")}) {
        for (String suffix : new String[] {"", "-wal"}) {
          Path f = db.resolveSibling(db.getFileName() + suffix);
          if (Files.exists(f)) {
            Files.copy(f, logs.resolve(scenarioName + "-" + f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
    if (receiver != null) {
      receiver.close();
    }
    cityBroker.stop();
  }
}
