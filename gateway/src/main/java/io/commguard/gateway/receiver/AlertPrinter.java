package io.commguard.gateway.receiver;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.Measurement;
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
}
