package io.commguard.gateway.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guard's framing on raw bytes, however the stream is cut into reads: every packet but the
 * oversized publish comes out byte for byte, in order; the oversized one is reported once with its
 * QoS, packet id and size.
 */
class PublishSizeGuardTest {
  private static final int LIMIT = 300;

  @Test
  void oversizedPublish_isSwallowedAndReported_othersPassUntouched_atEveryCut() {
    byte[] small1 = publish(1, "devices/a/event", 7, 20);
    byte[] big = publish(1, "devices/a/event", 0x1234, 5_000); // 2-byte remaining length
    byte[] small2 = publish(0, "devices/a/event", 0, 200);
    byte[] bigQos0 = publish(0, "d", 0, 20_000_000); // 4-byte remaining length
    byte[] ping = {(byte) 0xC0, 0x00};
    byte[] stream = concat(small1, big, small2, ping);
    byte[] expected = concat(small1, small2, ping);

    for (int cut = 1; cut < stream.length; cut += cut < 40 ? 1 : 97) {
      List<PublishSizeGuard.Oversized> reports = new ArrayList<>();
      EmbeddedChannel channel = armed(reports);
      for (int at = 0; at < stream.length; at += cut) {
        channel.writeInbound(Unpooled.wrappedBuffer(stream, at, Math.min(cut, stream.length - at)));
      }
      assertThat(drain(channel)).as("cut every %d bytes", cut).isEqualTo(expected);
      assertThat(reports).as("cut every %d bytes", cut)
          .containsExactly(new PublishSizeGuard.Oversized(1, 0x1234, big.length));
      channel.finishAndReleaseAll();
    }

    // A 20 MB publish is counted off without ever being held: fed in 64 KiB reads.
    List<PublishSizeGuard.Oversized> reports = new ArrayList<>();
    EmbeddedChannel channel = armed(reports);
    for (int at = 0; at < bigQos0.length; at += 65_536) {
      channel.writeInbound(Unpooled.wrappedBuffer(bigQos0, at, Math.min(65_536, bigQos0.length - at)));
    }
    channel.writeInbound(Unpooled.wrappedBuffer(ping));
    assertThat(drain(channel)).isEqualTo(ping);
    assertThat(reports).containsExactly(new PublishSizeGuard.Oversized(0, -1, bigQos0.length));
    channel.finishAndReleaseAll();
  }

  @Test
  void beforeLogin_nothingIsSwallowed() {
    EmbeddedChannel channel = new EmbeddedChannel(new PublishSizeGuard(LIMIT));
    byte[] big = publish(1, "t", 1, 1_000);
    channel.writeInbound(Unpooled.wrappedBuffer(big));
    assertThat(drain(channel)).as("left to the decoder, which closes the socket").isEqualTo(big);
    channel.finishAndReleaseAll();
  }

  private static EmbeddedChannel armed(List<PublishSizeGuard.Oversized> reports) {
    PublishSizeGuard guard = new PublishSizeGuard(LIMIT);
    guard.arm(reports::add);
    return new EmbeddedChannel(guard);
  }

  private static byte[] drain(EmbeddedChannel channel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuf b = channel.readInbound(); b != null; b = channel.readInbound()) {
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      b.release();
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  /** An MQTT 3.1.1 PUBLISH packet with a payload of {@code payloadBytes} zero bytes. */
  private static byte[] publish(int qos, String topic, int packetId, int payloadBytes) {
    ByteArrayOutputStream variable = new ByteArrayOutputStream();
    variable.write(topic.length() >> 8);
    variable.write(topic.length());
    variable.writeBytes(topic.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (qos > 0) {
      variable.write(packetId >> 8);
      variable.write(packetId);
    }
    int remaining = variable.size() + payloadBytes;
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x30 | qos << 1);
    int r = remaining;
    do {
      int digit = r % 128;
      r /= 128;
      packet.write(r > 0 ? digit | 0x80 : digit);
    } while (r > 0);
    packet.writeBytes(variable.toByteArray());
    packet.writeBytes(new byte[payloadBytes]);
    return packet.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
