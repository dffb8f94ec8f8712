package io.commguard.bench;

import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One gateway under test with everything around it: the city Mosquitto, the city subscriber, the
 * Modbus simulator links (optional), the gateway JVM and the connected device fleet. Closed in
 * reverse order.
 */
final class GatewayRig implements AutoCloseable {
  final Latencies latencies = new Latencies();
  final MosquittoBroker city;
  final CitySubscriber subscriber;
  final ModbusFarm modbus;
  final GatewayProcess gateway;
  final GatewayProcess.Ready ready;
  final DeviceFleet fleet;
  final long connectMs;
  /** The gateway's device endpoint, for a second fleet of {@code otherDevices}. */
  final int endpointPort;
  /** The gateway's admin API on loopback (plain HTTP), or 0 when it is not enabled. */
  final int adminPort;

  GatewayRig(Path workDir, EdgeJvm edge, Path profiles, String name, int deviceCount, IntFunction<SimDevice> device,
      int window, int modbusLinks, int unitsPerLink, List<String> jvmArgs) throws Exception {
    this(workDir, edge, profiles, name, deviceCount, device, window, modbusLinks, unitsPerLink, jvmArgs, List.of());
  }

  /**
   * @param otherDevices configured in the gateway too but not driven by {@link #fleet}: the scenario
   *     drives them with a fleet of its own on {@link #endpointPort}
   */
  GatewayRig(Path workDir, EdgeJvm edge, Path profiles, String name, int deviceCount, IntFunction<SimDevice> device,
      int window, int modbusLinks, int unitsPerLink, List<String> jvmArgs, List<SimDevice> otherDevices)
      throws Exception {
    this(workDir, edge, profiles, name, deviceCount, device, window, modbusLinks, unitsPerLink, jvmArgs, otherDevices, null);
  }

  /** @param adminToken with it, the admin API is enabled on {@link #adminPort} with this admin token */
  GatewayRig(Path workDir, EdgeJvm edge, Path profiles, String name, int deviceCount, IntFunction<SimDevice> device,
      int window, int modbusLinks, int unitsPerLink, List<String> jvmArgs, List<SimDevice> otherDevices,
      String adminToken) throws Exception {
    Path dir = Scenarios.freshDir(workDir.resolve(name));
    city = MosquittoBroker.start(Files.createDirectories(dir.resolve("city-broker")));
    subscriber = new CitySubscriber(CitySubscriber.Mode.CITY, "city/+/alerts", 1, latencies, id -> { }, n -> { });
    subscriber.start(city.port());
    modbus = modbusLinks > 0 ? ModbusFarm.start(modbusLinks) : null;
    List<SimDevice> devices = new ArrayList<>();
    for (int i = 0; i < deviceCount; i++) {
      devices.add(device.apply(i));
    }
    endpointPort = FreePort.next();
    Path config = dir.resolve("gateway.yaml");
    List<SimDevice> configured = new ArrayList<>(devices);
    configured.addAll(otherDevices);
    String tokenFile = null;
    adminPort = adminToken == null ? 0 : FreePort.next();
    if (adminToken != null) {
      tokenFile = Files.writeString(dir.resolve("admin.token"), adminToken).toString();
    }
    Files.writeString(config, GatewayConfigWriter.yaml(dir.resolve("data").toString(), profiles.toString(), endpointPort,
        city.port(), configured, modbus == null ? List.of() : modbus.links, unitsPerLink, adminPort, tokenFile));
    gateway = edge.start(config, jvmArgs);
    ready = gateway.awaitReady(Duration.ofSeconds(60));
    fleet = new DeviceFleet(devices, 2, MqttQoS.AT_LEAST_ONCE, window, DeviceFleet.Credit.ON_PUBACK, latencies);
    long t0 = System.nanoTime();
    fleet.connect("127.0.0.1", endpointPort, GatewayConfigWriter.PASSWORD, Duration.ofSeconds(180));
    connectMs = (System.nanoTime() - t0) / 1_000_000;
  }

  /** Waits until every tagged alert arrived at the city, or {@code timeout}. */
  boolean awaitTaggedAlerts(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (latencies.outstanding() == 0) {
        return true;
      }
      Pause.millis(20);
    }
    return false;
  }

  @Override
  public void close() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    gateway.close();
    subscriber.close();
    if (modbus != null) {
      modbus.close();
    }
    city.close();
  }
}
