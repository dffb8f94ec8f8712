package io.commguard.gateway.source.modbus;

import com.digitalpetri.modbus.client.ModbusClient;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.config.ModbusLinkConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.pipeline.EventSink;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.source.modbus.map.ModbusProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Polls Modbus gas detectors on every configured link and delivers their state changes, readings
 * and offline reports to the pipeline as {@link io.commguard.gateway.model.DeviceEvent}s.
 *
 * <p>Threads: one daemon thread {@code modbus-poller} runs every link's scheduling and decoding;
 * the digitalpetri library does the I/O on its own Netty event loop (TCP, RTU over TCP) or
 * jSerialComm reader (RTU), never on a Vert.x event loop.
 */
public final class ModbusSource implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ModbusSource.class.getName());

  private final PollerThread poller;
  private final List<LinkPoller> links = new ArrayList<>();

  /**
   * @param links the links to open; links with no device are not opened
   * @param devices devices to poll; each names one of {@code links}
   * @throws IllegalArgumentException when a device names an unknown link
   */
  public ModbusSource(List<ModbusLinkConfig> links, List<ModbusDevice> devices, EventSink sink, Counters counters) {
    this.poller = new PollerThread();
    RateLimitedLog rateLimited = new RateLimitedLog(LOG, 60_000);
    ModbusEvents events = new ModbusEvents(sink, counters, poller, rateLimited);
    Map<String, ModbusLinkConfig> linkById = new LinkedHashMap<>();
    links.forEach(l -> linkById.put(l.id(), l));
    Map<String, List<DeviceSession>> byLink = new LinkedHashMap<>();
    for (ModbusDevice d : devices) {
      if (!linkById.containsKey(d.link())) {
        throw new IllegalArgumentException("Device " + d.id() + " names unknown Modbus link " + d.link());
      }
      byLink.computeIfAbsent(d.link(), k -> new ArrayList<>()).add(new DeviceSession(d));
    }
    byLink.forEach((linkId, sessions) -> {
      ModbusLinkConfig config = linkById.get(linkId);
      Map<Integer, String> deviceByUnit = new HashMap<>();
      sessions.forEach(s -> deviceByUnit.put(s.device.unitId(), s.id()));
      ModbusClient client = ModbusClients.create(config, (expected, actual) -> {
        String deviceId = deviceByUnit.getOrDefault(expected, "unknown");
        counters.increment("modbus_errors", deviceId, ErrorReason.UNIT_ID_MISMATCH);
        poller.execute(() -> rateLimited.log(System.Logger.Level.WARNING, deviceId + "/" + ErrorReason.UNIT_ID_MISMATCH,
            "Modbus response from the wrong unit discarded device=" + deviceId + " link=" + linkId
                + " expectedUnitId=" + expected + " actualUnitId=" + actual));
      });
      this.links.add(new LinkPoller(config, client, poller, sessions, events, counters, rateLimited));
    });
  }

  /**
   * Builds the source from the gateway configuration: every device with a {@code modbus} block is
   * polled over its link with the {@code modbus} section of its profile.
   *
   * @param profiles loaded profiles by id ({@code ProfileLoader.loadDirectory})
   * @throws IllegalArgumentException when a Modbus device's profile is unknown or has no
   *     {@code modbus} section
   */
  public static ModbusSource fromConfig(GatewayConfig config, Map<String, DeviceProfile> profiles,
      EventSink sink, Counters counters) {
    List<ModbusDevice> devices = new ArrayList<>();
    for (DeviceConfig d : config.devices()) {
      if (d.modbus() == null) {
        continue;
      }
      DeviceProfile profile = profiles.get(d.profile());
      ModbusProfile map = profile == null ? null : profile.section("modbus", ModbusProfile.class);
      if (map == null) {
        throw new IllegalArgumentException("Device " + d.id() + " is a Modbus device but profile '" + d.profile()
            + "' " + (profile == null ? "does not exist" : "has no modbus section"));
      }
      devices.add(new ModbusDevice(new DeviceRef(d.id(), d.profile(), profile.model(), d.site(), d.location()),
          d.modbus().link(), d.modbus().unitId(), map));
    }
    return new ModbusSource(config.modbusLinks(), devices, sink, counters);
  }

  /** True when the configuration has at least one device to poll. */
  public boolean hasDevices() {
    return !links.isEmpty();
  }

  /** Starts polling every link; returns at once. */
  public void start() {
    links.forEach(LinkPoller::start);
    LOG.log(System.Logger.Level.INFO, "Modbus source started links=" + links.size());
  }

  /** Stops polling and closes every connection; waits up to 5 s for connections to close. */
  public void stop() {
    List<CompletableFuture<Void>> stops = links.stream().map(LinkPoller::stop).toList();
    try {
      CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "Modbus links did not all close in time detail=" + e.getMessage());
    }
    poller.shutdown();
  }

  @Override
  public void close() {
    stop();
  }
}
