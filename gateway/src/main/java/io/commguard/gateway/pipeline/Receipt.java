package io.commguard.gateway.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of one at-least-once publish from a device: its packet id and a digest of its topic
 * and payload. It is committed with the decision the publish caused, so that a retransmission
 * (flagged {@code duplicate}) of a publish whose decision is already durable is recognised and
 * acknowledged without being decided twice.
 */
public record Receipt(String deviceId, String identity, boolean duplicate) {
  /**
   * Receipts kept per device, in memory and on disk: far more than a device can have in flight, so
   * a retransmission always finds its first processing's receipt.
   */
  public static final int KEPT_PER_DEVICE = 64;

  public static Receipt of(String deviceId, int packetId, boolean duplicate, String topic, byte[] payload) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
    sha.update(topic.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    byte[] digest = sha.digest(payload);
    return new Receipt(deviceId, packetId + ":" + HexFormat.of().formatHex(digest, 0, 12), duplicate);
  }
}
