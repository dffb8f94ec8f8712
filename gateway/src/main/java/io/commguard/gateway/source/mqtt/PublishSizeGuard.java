package io.commguard.gateway.source.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Stands in front of the MQTT decoder for the whole connection and keeps a PUBLISH above the frame
 * limit away from it. Netty's decoder fails such a packet and stays failed for the rest of the
 * connection, so the connection would close unacknowledged, and a device with a persistent session
 * would send the same message again after every reconnect: one oversized message would block every
 * later alarm of that device.
 *
 * <p>Here the packet's bytes are counted off as they arrive (never buffered: memory stays bounded
 * whatever size the header announces), its QoS and packet id are read on the way, and once its last
 * byte is in, {@link Oversized} is reported so the endpoint can count, log and acknowledge it. Every
 * other packet passes through untouched, in order. The guard is armed only once the device has
 * logged in; before that an oversized packet meets the decoder's limit and the socket is closed.
 */
final class PublishSizeGuard extends ChannelInboundHandlerAdapter {
  static final String NAME = "publishSizeGuard";
  private static final int PUBLISH = 3;

  /** A swallowed publish: QoS 0–2, its packet id (-1 when QoS 0 or cut short) and its size on the wire. */
  record Oversized(int qos, int packetId, long bytes) {}

  private enum State { HEADER, BODY, SWALLOW }

  private final long maxRemainingLength;
  private volatile Consumer<Oversized> armed;
  private State state = State.HEADER;
  private boolean malformed;
  /** Fixed header being read: its first byte, bytes read so far, and the remaining length. */
  private int firstByte;
  private int headerLen;
  private long remaining;
  /** Header bytes from earlier reads, held until it is known whether the packet passes. */
  private byte[] held = new byte[0];
  /** Swallowing: bytes of the variable part consumed, topic length, packet id, total size. */
  private long consumed;
  private int topicLength;
  private int packetId;
  private long packetBytes;

  /** @param maxRemainingLength the decoder's limit on a packet's remaining length */
  PublishSizeGuard(long maxRemainingLength) {
    this.maxRemainingLength = maxRemainingLength;
  }

  /** From now on oversized publishes are swallowed and reported to {@code onOversized} (on the channel's thread). */
  void arm(Consumer<Oversized> onOversized) {
    this.armed = onOversized;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in) || malformed) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      split(ctx, in);
    } finally {
      in.release();
    }
  }

  private void split(ChannelHandlerContext ctx, ByteBuf in) {
    int end = in.writerIndex();
    int i = in.readerIndex();
    int spanStart = state == State.SWALLOW ? -1 : i;
    int headerStart = i;
    while (i < end) {
      if (state == State.BODY) {
        int n = (int) Math.min(remaining, end - i);
        i += n;
        remaining -= n;
        state = remaining == 0 ? State.HEADER : State.BODY;
        continue;
      }
      if (state == State.SWALLOW) {
        i = swallow(in, i, end);
        if (state == State.HEADER) {
          spanStart = i;
          report();
        }
        continue;
      }
      if (headerLen == 0) {
        headerStart = i;
        remaining = 0;
      }
      int b = in.getByte(i++) & 0xff;
      if (headerLen == 0) {
        firstByte = b;
      } else {
        remaining |= (long) (b & 0x7f) << (7 * (headerLen - 1));
      }
      headerLen++;
      if (headerLen == 1 || (b & 0x80) != 0) {
        if (headerLen == 5) { // a fifth length byte: not MQTT; the decoder reports it
          malformed = true;
          fireHeld(ctx);
          forward(ctx, in, spanStart, end);
          return;
        }
        continue;
      }
      headerLen = 0;
      int qos = (firstByte >> 1) & 3;
      if (armed != null && firstByte >> 4 == PUBLISH && qos < 3 && remaining > maxRemainingLength) {
        forward(ctx, in, spanStart, headerStart);
        packetBytes = held.length + (i - headerStart) + remaining;
        held = new byte[0];
        spanStart = -1;
        consumed = 0;
        topicLength = 0;
        packetId = qos == 0 ? -1 : 0;
        state = State.SWALLOW;
        continue;
      }
      fireHeld(ctx);
      state = remaining == 0 ? State.HEADER : State.BODY;
    }
    if (state == State.HEADER && headerLen > 0) {
      forward(ctx, in, spanStart, headerStart);
      int previous = held.length;
      held = Arrays.copyOf(held, previous + end - headerStart);
      in.getBytes(headerStart, held, previous, end - headerStart);
    } else if (spanStart >= 0) {
      forward(ctx, in, spanStart, end);
    }
  }

  /** Consumes the oversized packet's bytes from {@code i}, reading the topic length and packet id on the way. */
  private int swallow(ByteBuf in, int i, int end) {
    int qos = (firstByte >> 1) & 3;
    while (i < end && remaining > 0) {
      if (consumed < 2 || qos > 0 && consumed >= 2 + topicLength && consumed < 4 + topicLength) {
        int b = in.getByte(i++) & 0xff;
        if (consumed < 2) {
          topicLength = topicLength << 8 | b;
        } else {
          packetId = packetId << 8 | b;
        }
        consumed++;
        remaining--;
        continue;
      }
      long next = qos > 0 && consumed < 2 + topicLength ? 2 + topicLength : Long.MAX_VALUE;
      int n = (int) Math.min(Math.min(end - i, remaining), next - consumed);
      i += n;
      consumed += n;
      remaining -= n;
    }
    if (remaining == 0) {
      if (qos > 0 && consumed < 4 + topicLength) {
        packetId = -1; // cut short: nothing to acknowledge
      }
      state = State.HEADER;
    }
    return i;
  }

  private void report() {
    armed.accept(new Oversized((firstByte >> 1) & 3, packetId, packetBytes));
  }

  private void fireHeld(ChannelHandlerContext ctx) {
    if (held.length > 0) {
      ctx.fireChannelRead(Unpooled.wrappedBuffer(held));
      held = new byte[0];
    }
  }

  private static void forward(ChannelHandlerContext ctx, ByteBuf in, int from, int to) {
    if (from >= 0 && to > from) {
      ctx.fireChannelRead(in.retainedSlice(from, to - from));
    }
  }
}
