package io.commguard.gateway.wire;

import io.commguard.alert.v1.DeviceCount;
import io.commguard.alert.v1.GatewayStatus;
import io.commguard.alert.v1.OutboxPriority;
import io.commguard.alert.v1.SourceStatus;
import io.commguard.alert.v1.UplinkStatus;
import java.util.List;
import java.util.Map;

/** The gateway's heartbeat in its wire form ({@code GatewayStatus}). Stateless. */
public final class StatusMessage {
  /** {@code status_version}: the meaning of the message's fields. */
  public static final int VERSION = 1;

  /**
   * What a status reports, read from the running gateway.
   *
   * @param outbox per send priority, most urgent first
   * @param devicesByState lower-case state name → devices in the registry in it
   */
  public record Figures(long uptimeMs, List<Backlog> outbox, Map<String, Integer> devicesByState, List<Source> sources,
      boolean uplinkDelivering, long diskFreeBytes) {
    /** The part whose change sends a status at once: device states, sources up or down, the uplink. */
    public Object changeKey() {
      return List.of(devicesByState, sources.stream().map(s -> s.name() + "=" + s.up()).toList(), uplinkDelivering);
    }
  }

  /** Undelivered alerts of one send priority; {@code oldestAgeMs} 0 when none. */
  public record Backlog(int priority, long pending, long oldestAgeMs) {}

  /** A southbound source and its devices in service. */
  public record Source(String name, boolean up, int devices) {}

  private StatusMessage() {}

  public static byte[] encode(String gatewayId, String gatewayVersion, long sentAtMs, int intervalMs, Figures f) {
    GatewayStatus.Builder b = GatewayStatus.newBuilder()
        .setGatewayId(gatewayId)
        .setStatusVersion(VERSION)
        .setSentAtMs(sentAtMs)
        .setGatewayVersion(gatewayVersion)
        .setUptimeMs(f.uptimeMs())
        .setIntervalMs(intervalMs)
        .setUplink(f.uplinkDelivering() ? UplinkStatus.DELIVERING : UplinkStatus.NOT_DELIVERING)
        .setDiskFreeBytes(Math.max(0, f.diskFreeBytes()));
    f.outbox().forEach(o -> b.addOutbox(OutboxPriority.newBuilder().setPriority(o.priority()).setPending(o.pending())
        .setOldestAgeMs(o.oldestAgeMs())));
    f.devicesByState().forEach((state, n) -> b.addDevices(DeviceCount.newBuilder().setState(state).setCount(n)));
    f.sources().forEach(s -> b.addSources(SourceStatus.newBuilder().setName(s.name()).setUp(s.up()).setDevices(s.devices())));
    return b.build().toByteArray();
  }
}
