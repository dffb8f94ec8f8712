package io.commguard.gateway.source.httppush;

/**
 * A device's {@code httpPush} key: how the listener knows a request is this device's. At least one
 * of {@code address} and {@code path}; with both, a request must match both.
 *
 * @param address the IP address the device pushes from (its LAN address)
 * @param path the URL path the device is configured to push to, e.g. {@code /push/cam-lobby-1}
 * @param auth {@code none} (default), {@code basic} (checked against the device's {@code
 *     passwordHash}) or {@code digest} (checked against {@code digestHash})
 * @param digestHash for {@code digest}: {@code md5:<hex>} or {@code sha256:<hex>} of
 *     {@code <device id>:<realm>:<password>}, made by {@code gateway hash-password --digest}
 */
public record PushBinding(String address, String path, Auth auth, String digestHash) {
  /** How a device proves itself beyond its address and path. */
  public enum Auth { NONE, BASIC, DIGEST }

  public PushBinding {
    auth = auth == null ? Auth.NONE : auth;
  }
}
