package io.commguard.gateway.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The identity of one at-least-once publish from a device: its packet id, its size and a 64-bit
 * checksum of its topic and payload. It is committed with the decision the publish caused, so that
 * a retransmission (flagged {@code duplicate}) of a publish whose decision is already durable is
 * recognised and acknowledged without being decided twice.
 *
 * <p>Two CRCs with different polynomials, not a cryptographic digest: the identity only has to tell
 * apart a device's own recent publishes that share a packet id (a chance of about 2<sup>-64</sup>
 * each), and a device that forged a collision could only drop its own message. The CRCs run as CPU
 * instructions on the edge JVM line, where SHA-256 runs in plain Java and cost more per publish than
 * decoding it.
 */
public record Receipt(String deviceId, String identity, boolean duplicate) {
  /**
   * Receipts kept per device, in memory and on disk: far more than a device can have in flight, so
   * a retransmission always finds its first processing's receipt.
   */
  public static final int KEPT_PER_DEVICE = 64;

  public static Receipt of(String deviceId, int packetId, boolean duplicate, String topic, byte[] payload) {
    byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
    long sum = (long) checksum(new CRC32C(), topicBytes, payload) << 32 | checksum(new CRC32(), topicBytes, payload);
    String identity = packetId + ":" + payload.length + ":" + Long.toHexString(sum);
    return new Receipt(deviceId, identity, duplicate);
  }

  private static long checksum(Checksum c, byte[] topic, byte[] payload) {
    c.update(topic);
    c.update(0);
    c.update(payload);
    return c.getValue();
  }
}
