package io.commguard.gateway.source.modbus;

import io.commguard.gateway.validation.ProblemCollector;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Modbus link: a Modbus TCP connection, an RS-485 bus on a local serial port, or an RS-485 bus
 * behind a serial device server / 4G DTU reached with RTU framing over TCP. Every device on a link
 * shares its connection and its request budget; links never wait on each other.
 *
 * @param transport {@code TCP}, {@code RTU} (local serial port) or {@code RTU_OVER_TCP}
 * @param host host of a TCP or RTU_OVER_TCP link
 * @param port TCP port; default 502 for TCP, required for RTU_OVER_TCP
 * @param serialPort device path of an RTU link, e.g. {@code /dev/ttyUSB0}
 * @param baudRate RTU only; default 9600
 * @param dataBits RTU only; default 8
 * @param stopBits RTU only; default 1
 * @param parity RTU only; default NONE
 * @param timeoutMs how long one request may wait for its response; default 1000. A dead device
 *     holds its bus at most this long per probe
 * @param connectTimeoutMs TCP connect timeout; default 3000
 * @param retries immediate retries of a request that failed for a reason other than a timeout
 *     (CRC error, broken connection); timeouts are never retried so a dead device cannot hold the
 *     bus for several timeouts. Default 1
 * @param maxConcurrentRequests requests in flight at once on a TCP link (default 1: many devices
 *     accept one request at a time). Always 1 on serial framing
 * @param interFrameDelayMs quiet time between the end of one exchange and the next request;
 *     default 20 on serial framing, 0 on TCP
 * @param offlineAfterFailures consecutive failed polls after which a device is reported
 *     DEVICE_OFFLINE; default 3
 * @param maxBackoffMs cap of the exponential back-off of a failing device; default 60000
 */
public record ModbusLinkConfig(
    String id,
    Transport transport,
    String host,
    Integer port,
    String serialPort,
    Integer baudRate,
    Integer dataBits,
    Integer stopBits,
    Parity parity,
    Integer timeoutMs,
    Integer connectTimeoutMs,
    Integer retries,
    Integer maxConcurrentRequests,
    Integer interFrameDelayMs,
    Integer offlineAfterFailures,
    Integer maxBackoffMs) {

  /** How Modbus frames travel. */
  public enum Transport { TCP, RTU, RTU_OVER_TCP }

  /** Serial parity. */
  public enum Parity { NONE, EVEN, ODD }

  public ModbusLinkConfig {
    transport = transport == null ? Transport.TCP : transport;
    boolean serialFraming = transport != Transport.TCP;
    port = port == null && transport == Transport.TCP ? Integer.valueOf(502) : port;
    baudRate = baudRate == null ? 9600 : baudRate;
    dataBits = dataBits == null ? 8 : dataBits;
    stopBits = stopBits == null ? 1 : stopBits;
    parity = parity == null ? Parity.NONE : parity;
    timeoutMs = timeoutMs == null ? 1000 : timeoutMs;
    connectTimeoutMs = connectTimeoutMs == null ? 3000 : connectTimeoutMs;
    retries = retries == null ? 1 : retries;
    maxConcurrentRequests = serialFraming ? Integer.valueOf(1) : maxConcurrentRequests == null ? Integer.valueOf(1) : maxConcurrentRequests;
    interFrameDelayMs = interFrameDelayMs == null ? (serialFraming ? 20 : 0) : interFrameDelayMs;
    offlineAfterFailures = offlineAfterFailures == null ? 3 : offlineAfterFailures;
    maxBackoffMs = maxBackoffMs == null ? 60_000 : maxBackoffMs;
  }

  /** Checks this link; {@code path} is e.g. {@code modbusLinks[0]}. */
  public void validate(String path, ProblemCollector problems) {
    if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      problems.add(path + ".id", "required: 1-64 letters, digits, '.', '_' or '-'");
    }
    if (transport == Transport.RTU) {
      if (serialPort == null || serialPort.isBlank()) {
        problems.add(path + ".serialPort", "required for an RTU link, e.g. /dev/ttyUSB0");
      }
      if (host != null) {
        problems.add(path + ".host", "does not apply to an RTU link (use RTU_OVER_TCP for a serial device server)");
      }
      range(path + ".baudRate", baudRate, 300, 921_600, problems);
      range(path + ".dataBits", dataBits, 7, 8, problems);
      range(path + ".stopBits", stopBits, 1, 2, problems);
    } else {
      if (host == null || host.isBlank()) {
        problems.add(path + ".host", "required for a " + transport + " link");
      }
      if (port == null) {
        problems.add(path + ".port", "required for a " + transport + " link (serial device servers use their own port)");
      } else {
        range(path + ".port", port, 1, 65535, problems);
      }
      if (serialPort != null) {
        problems.add(path + ".serialPort", "only applies to an RTU link");
      }
    }
    range(path + ".timeoutMs", timeoutMs, 50, 60_000, problems);
    range(path + ".connectTimeoutMs", connectTimeoutMs, 100, 60_000, problems);
    range(path + ".retries", retries, 0, 5, problems);
    range(path + ".maxConcurrentRequests", maxConcurrentRequests, 1, 64, problems);
    range(path + ".interFrameDelayMs", interFrameDelayMs, 0, 5_000, problems);
    range(path + ".offlineAfterFailures", offlineAfterFailures, 1, 100, problems);
    range(path + ".maxBackoffMs", maxBackoffMs, 1_000, 3_600_000, problems);
  }

  /**
   * Checks every link and the Modbus part of every device: unique link ids, devices pointing at an
   * existing link, no two devices with the same unit id on one link.
   */
  public static void validateAll(List<ModbusLinkConfig> links, List<Placed> devices, ProblemCollector problems) {
    Map<String, ModbusLinkConfig> byId = new HashMap<>();
    for (int i = 0; i < links.size(); i++) {
      ModbusLinkConfig link = links.get(i);
      if (link == null) {
        problems.add(ModbusSourceType.LINKS_KEY + "[" + i + "]", "empty entry");
        continue;
      }
      link.validate(ModbusSourceType.LINKS_KEY + "[" + i + "]", problems);
      if (link.id() != null && byId.putIfAbsent(link.id(), link) != null) {
        problems.add(ModbusSourceType.LINKS_KEY + "[" + i + "].id", "duplicate link id '" + link.id() + "'");
      }
    }
    Set<String> unitsInUse = new HashSet<>();
    for (Placed device : devices) {
      DeviceModbusConfig m = device.modbus();
      m.validate(device.path(), byId.get(m.link()), problems);
      if (m.link() != null && !unitsInUse.add(m.link() + "/" + m.unitId())) {
        problems.add(device.path() + ".unitId", "unit id " + m.unitId() + " is already used by another device on link '" + m.link() + "'");
      }
    }
  }

  /** A device's {@code modbus} entry and its path in the file, e.g. {@code devices[3].modbus}. */
  public record Placed(String path, DeviceModbusConfig modbus) {}

  private static void range(String path, Integer value, int min, int max, ProblemCollector problems) {
    if (value != null && (value < min || value > max)) {
      problems.add(path, "must be " + min + ".." + max + ", was " + value);
    }
  }
}
