package io.commguard.gateway.source.modbus;

import com.digitalpetri.modbus.client.ModbusClient;
import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.registry.DeviceChanges;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.source.Ingest;
import io.commguard.gateway.source.LinkScanning;
import io.commguard.gateway.source.Source;
import io.commguard.gateway.source.TestRead;
import io.commguard.gateway.source.TestReading;
import io.commguard.gateway.source.modbus.map.ModbusProfile;
import io.commguard.gateway.source.modbus.map.ModbusProfileParser;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Polls Modbus gas detectors on every configured link and delivers their state changes, readings
 * and offline reports through the shared {@link Ingest}. A link is opened when its first device
 * arrives; devices join and leave a running link without touching their neighbours' schedules.
 *
 * <p>Threads: one daemon thread {@code modbus-poller} runs every link's scheduling and decoding;
 * the digitalpetri library does the I/O on its own Netty event loop (TCP, RTU over TCP) or
 * jSerialComm reader (RTU), never on a Vert.x event loop.
 *
 * <p>For commissioning it reads one device on demand ({@link #testRead}) and scans a link's unit ids
 * ({@link #scan}, one scan per link at a time); both go out as on-demand requests that take turns
 * with the running polls on the link ({@link LinkPoller}).
 */
public final class ModbusSource implements Source, TestReading, LinkScanning {
  private static final System.Logger LOG = System.getLogger(ModbusSource.class.getName());

  private final PollerThread poller = new PollerThread();
  private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, 60_000);
  private final Map<String, ModbusLinkConfig> linkById = new LinkedHashMap<>();
  private final Map<String, DeviceProfile> profiles;
  private final Counters counters;
  private final ModbusEvents events;
  /** Running links by id; touched only from {@link #start} and the registry thread. */
  private final Map<String, LinkPoller> links = new ConcurrentHashMap<>();
  private final Map<String, Map<Integer, String>> deviceByUnit = new ConcurrentHashMap<>();
  private final Map<String, LinkScanning.Scan> scans = new ConcurrentHashMap<>();

  ModbusSource(List<ModbusLinkConfig> links, Map<String, DeviceProfile> profiles, Ingest ingest, Counters counters) {
    links.forEach(l -> linkById.put(l.id(), l));
    this.profiles = profiles;
    this.counters = counters;
    this.events = new ModbusEvents(ingest, poller, rateLimited);
  }

  /** Starts polling the registry's {@code devices}; links with no device stay closed. */
  void start(List<RegisteredDevice> devices) {
    startDevices(devices.stream().map(d -> device(d.config())).toList());
  }

  /** Starts polling {@code devices}; links with no device stay closed. */
  void startDevices(List<ModbusDevice> devices) {
    Map<String, List<DeviceSession>> byLink = new LinkedHashMap<>();
    for (ModbusDevice device : devices) {
      byLink.computeIfAbsent(device.link(), k -> new ArrayList<>()).add(new DeviceSession(device));
      deviceByUnit.computeIfAbsent(device.link(), k -> new ConcurrentHashMap<>()).put(device.unitId(), device.id());
    }
    byLink.forEach((linkId, sessions) -> {
      LinkPoller link = open(linkId, sessions);
      link.start();
    });
    LOG.log(System.Logger.Level.INFO, "Modbus source started links=" + links.size());
  }

  @Override
  public void apply(DeviceChanges changes) {
    List<RegisteredDevice> leaving = new ArrayList<>(changes.removed());
    leaving.addAll(changes.updated());
    for (RegisteredDevice d : leaving) {
      // By id on every link: an updated device's old placement is not in the change.
      links.values().forEach(l -> l.remove(d.id()));
      deviceByUnit.values().forEach(units -> units.values().remove(d.id()));
    }
    List<RegisteredDevice> arriving = new ArrayList<>(changes.added());
    arriving.addAll(changes.updated());
    for (RegisteredDevice d : arriving) {
      ModbusDevice device = device(d.config());
      deviceByUnit.computeIfAbsent(device.link(), k -> new ConcurrentHashMap<>()).put(device.unitId(), device.id());
      running(device.link()).add(new DeviceSession(device));
    }
  }

  /** The link's poller, opened (without devices) when it is not running yet. */
  private synchronized LinkPoller running(String linkId) {
    LinkPoller link = links.get(linkId);
    if (link == null) {
      link = open(linkId, List.of());
      link.start();
    }
    return link;
  }

  @Override
  public CompletionStage<TestRead> testRead(String deviceId) {
    CompletableFuture<TestRead> result = new CompletableFuture<>();
    poller.execute(() -> {
      for (LinkPoller link : links.values()) {
        DeviceSession session = link.session(deviceId);
        if (session != null) {
          LOG.log(System.Logger.Level.INFO, "Modbus test read device=" + deviceId + " link=" + link.id()
              + " unitId=" + session.device.unitId());
          ModbusTestRead.start(link, session, poller).whenComplete((r, ex) -> {
            if (ex == null) {
              result.complete(r);
            } else {
              result.completeExceptionally(ex);
            }
          });
          return;
        }
      }
      result.completeExceptionally(new NotAvailableException("device " + deviceId
          + " is not being polled: it is disabled, or not yet applied"));
    });
    return result;
  }

  @Override
  public List<ScanLink> scanLinks() {
    return linkById.values().stream().map(l -> {
      boolean serialFraming = l.transport() != ModbusLinkConfig.Transport.TCP;
      return new ScanLink(l.id(), l.transport().name(), serialFraming ? 1 : 0, serialFraming ? 247 : 255, l.timeoutMs());
    }).toList();
  }

  @Override
  public Scan scan(String linkId, int first, int last, Consumer<ScanProgress> progress) {
    ScanLink link = scanLinks().stream().filter(l -> l.id().equals(linkId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no Modbus link '" + linkId + "' in modbusLinks"));
    if (first < link.minAddress() || last > link.maxAddress() || first > last) {
      throw new IllegalArgumentException("unit ids " + first + "-" + last + " outside " + link.minAddress() + "-"
          + link.maxAddress() + " on a " + link.transport() + " link");
    }
    LinkScan scan;
    synchronized (scans) {
      if (scans.containsKey(linkId)) {
        throw new IllegalStateException("a scan of link '" + linkId + "' is running already");
      }
      LinkPoller poller = running(linkId);
      Map<Integer, String> units = deviceByUnit.computeIfAbsent(linkId, k -> new ConcurrentHashMap<>());
      scan = new LinkScan(first, last, poller::request, units::get, progress, this.poller);
      scans.put(linkId, scan);
    }
    LOG.log(System.Logger.Level.INFO, "Modbus link scan started link=" + linkId + " units=" + first + "-" + last
        + " timeoutMs=" + link.timeoutMs());
    scan.done().whenComplete((end, ex) -> {
      scans.remove(linkId);
      if (end != null) {
        LOG.log(System.Logger.Level.INFO, "Modbus link scan ended link=" + linkId + " probed=" + end.probed()
            + " answered=" + end.answered().size() + (end.cancelled() ? " cancelled" : "")
            + (end.failure() == null ? "" : " failure=\"" + end.failure() + "\""));
      }
    });
    return scan.start();
  }

  private synchronized LinkPoller open(String linkId, List<DeviceSession> sessions) {
    ModbusLinkConfig config = linkById.get(linkId);
    Map<Integer, String> units = deviceByUnit.computeIfAbsent(linkId, k -> new ConcurrentHashMap<>());
    ModbusClient client = ModbusClients.create(config, (expected, actual) -> {
      String deviceId = units.getOrDefault(expected, "unknown");
      counters.increment("modbus_errors", deviceId, ErrorReason.UNIT_ID_MISMATCH);
      poller.execute(() -> rateLimited.log(System.Logger.Level.WARNING, deviceId + "/" + ErrorReason.UNIT_ID_MISMATCH,
          "Modbus response from the wrong unit discarded device=" + deviceId + " link=" + linkId
              + " expectedUnitId=" + expected + " actualUnitId=" + actual));
    });
    LinkPoller link = new LinkPoller(config, client, poller, sessions, events, counters, rateLimited);
    links.put(linkId, link);
    return link;
  }

  /** A registry device as this source polls it (it passed {@link ModbusSourceType#validate}). */
  private ModbusDevice device(DeviceConfig d) {
    DeviceProfile profile = profiles.get(d.profile());
    ModbusProfile map = profile.section(ModbusProfileParser.KEY, ModbusProfile.class);
    DeviceModbusConfig placement = ModbusSourceType.placement(d, "device " + d.id(), new ProblemCollector("registry"));
    return new ModbusDevice(new DeviceRef(d.id(), d.profile(), profile.model(), d.site(), d.location()),
        placement.link(), placement.unitId(), map);
  }

  /** Stops polling and closes every connection; waits up to 5 s for connections to close. */
  @Override
  public void close() {
    List<CompletableFuture<Void>> stops = links.values().stream().map(LinkPoller::stop).toList();
    try {
      CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "Modbus links did not all close in time detail=" + e.getMessage());
    }
    poller.shutdown();
  }
}
