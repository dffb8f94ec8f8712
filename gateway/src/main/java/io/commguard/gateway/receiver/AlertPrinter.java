package io.commguard.gateway.receiver;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.GatewayStatus;
import io.commguard.alert.v1.Measurement;
import io.commguard.alert.v1.OutboxPriority;
import io.commguard.gateway.metrics.Untrusted;
import java.time.Instant;
import java.util.StringJoiner;

/**
 * One readable line per alert for live views, e.g.
 * {@code 2026-11-22T10:00:01Z L1 FIRE_SMOKE RAISED gw-1#42 cam-7 @310115001/G-07 B3-2-5F-502 "Smoke in lobby" id=...}.
 * Prints only what the contract carries; the gateway has already removed personal data.
 */
public final class AlertPrinter {
  private AlertPrinter() {}

  public static String line(Alert a) {
    StringBuilder sb = new StringBuilder(160);
    sb.append(Instant.ofEpochMilli(a.getOccurredAtMs()))
        .append(" L").append(a.getLevel())
        .append(' ').append(a.getType())
        .append(' ').append(a.getState())
        .append(a.getTest() ? " TEST" : "")
        .append(' ').append(a.getGatewayId()).append('#').append(a.getSequence())
        .append(' ').append(a.getDevice().getDeviceId());
    var s = a.getSite();
    sb.append(" @").append(s.getCommunityCode());
    if (!s.getGridCell().isEmpty()) {
      sb.append('/').append(s.getGridCell());
    }
    StringJoiner place = new StringJoiner("-", " ", "");
    place.setEmptyValue("");
    for (String part : new String[] {s.getBuilding(), s.getUnit(), s.getFloor().isEmpty() ? "" : s.getFloor() + "F",
        s.getRoom()}) {
      if (!part.isEmpty()) {
        place.add(part);
      }
    }
    sb.append(place);
    for (Measurement m : a.getMeasurementsList()) {
      sb.append(' ').append(m.getName()).append('=')
          .append(m.hasValue() ? Double.toString(m.getValue()) : "?").append(m.getUnit());
    }
    if (!a.getNativeCode().isEmpty()) {
      sb.append(" code=").append(a.getNativeCode());
    }
    if (!a.getDescription().isEmpty()) {
      sb.append(" \"").append(a.getDescription()).append('"');
    }
    sb.append(" id=").append(a.getAlertId());
    return sb.toString();
  }

  /**
   * One line per gateway status, e.g. {@code 2026-11-22T10:00:30Z STATUS gw-1 v0.1.0 up=3600s
   * uplink=DELIVERING outbox=0/0/2/0 oldest=0/0/41s/0 devices=enabled:12,disabled:1 sources=mqtt:up:9
   * disk_free=1.2GiB}. Peer text is escaped: a status may come from anyone who can publish.
   */
  public static String statusLine(GatewayStatus st) {
    StringBuilder sb = new StringBuilder(160);
    sb.append(Instant.ofEpochMilli(st.getSentAtMs())).append(" STATUS ").append(Untrusted.label(st.getGatewayId()))
        .append(" v").append(Untrusted.label(st.getGatewayVersion()))
        .append(" up=").append(st.getUptimeMs() / 1000).append('s')
        .append(" uplink=").append(st.getUplink());
    StringJoiner pending = new StringJoiner("/", " outbox=", "");
    StringJoiner oldest = new StringJoiner("/", " oldest=", "");
    for (OutboxPriority o : st.getOutboxList()) {
      pending.add(Long.toString(o.getPending()));
      oldest.add(o.getOldestAgeMs() == 0 ? "0" : o.getOldestAgeMs() / 1000 + "s");
    }
    sb.append(pending).append(oldest);
    StringJoiner devices = new StringJoiner(",", " devices=", "");
    st.getDevicesList().forEach(d -> devices.add(Untrusted.label(d.getState()) + ":" + d.getCount()));
    StringJoiner sources = new StringJoiner(",", " sources=", "");
    st.getSourcesList().forEach(src -> sources.add(Untrusted.label(src.getName()) + ":" + (src.getUp() ? "up" : "down")
        + ":" + src.getDevices()));
    sb.append(devices).append(sources)
        .append(String.format(java.util.Locale.ROOT, " disk_free=%.1fGiB", st.getDiskFreeBytes() / (1024.0 * 1024 * 1024)));
    return sb.toString();
  }
}
