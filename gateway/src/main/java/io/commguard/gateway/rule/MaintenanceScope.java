package io.commguard.gateway.rule;

import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.rule.spec.SitePath;

/** What a maintenance window covers: one device, or every device under a site path. */
public record MaintenanceScope(String deviceId, SitePath site) {
  public MaintenanceScope {
    if ((deviceId == null) == (site == null)) {
      throw new IllegalArgumentException("a maintenance scope is either a device or a site");
    }
  }

  public static MaintenanceScope device(String deviceId) {
    return new MaintenanceScope(deviceId, null);
  }

  public static MaintenanceScope site(SitePath site) {
    return new MaintenanceScope(null, site);
  }

  /** Parses {@code device:<id>} or {@code site:<path>}, the form used in state and logs. */
  public static MaintenanceScope parse(String text) {
    if (text.startsWith("device:") && text.length() > 7) {
      return device(text.substring(7));
    }
    if (text.startsWith("site:")) {
      return site(SitePath.parse(text.substring(5)));
    }
    throw new IllegalArgumentException("scope must be device:<id> or site:<path>, was " + text);
  }

  public boolean covers(DeviceRef device) {
    return deviceId != null ? deviceId.equals(device.deviceId()) : site.covers(device.site());
  }

  @Override
  public String toString() {
    return deviceId != null ? "device:" + deviceId : "site:" + site;
  }
}
