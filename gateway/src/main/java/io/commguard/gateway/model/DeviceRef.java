package io.commguard.gateway.model;

import java.util.Objects;

/**
 * Identity of a configured device: its id, the profile (device model) that decodes it, where it is
 * and a free-text location such as "B3 stairwell, 2F".
 */
public record DeviceRef(String deviceId, String profileId, String model, Site site, String location) {
  public DeviceRef {
    Objects.requireNonNull(deviceId, "deviceId");
    profileId = profileId == null ? "" : profileId;
    model = model == null ? "" : model;
    site = site == null ? Site.UNKNOWN : site;
    location = location == null ? "" : location;
  }
}
