package io.commguard.gateway.source.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sits in front of the MQTT decoder until the CONNECT has been read, and closes the socket when:
 * the first packet is not a CONNECT; its fixed header announces more than {@code maxConnectBytes}
 * (decided from the first 2–5 bytes, before anything is buffered); or no CONNECT has arrived by
 * the deadline — a hard deadline from accept, so a peer that trickles bytes cannot keep the socket.
 * vertx-mqtt removes this handler by name ({@code timeoutOnConnect}) once the CONNECT is decoded.
 */
final class ConnectGuard extends ChannelInboundHandlerAdapter {
  static final String NAME = "timeoutOnConnect";
  private static final int CONNECT = 1;

  private final int maxConnectBytes;
  private final long deadlineMillis;
  private final Consumer<String> onRefused;
  private ScheduledFuture<?> deadline;
  private int headerBytes;
  private long remainingLength;
  private boolean headerChecked;

  ConnectGuard(int maxConnectBytes, long deadlineMillis, Consumer<String> onRefused) {
    this.maxConnectBytes = maxConnectBytes;
    this.deadlineMillis = deadlineMillis;
    this.onRefused = onRefused;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline = ctx.executor().schedule(() -> refuse(ctx, "connect_timeout"), deadlineMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!headerChecked && msg instanceof ByteBuf buf) {
      String refusal = readHeader(buf);
      if (refusal != null) {
        ReferenceCountUtil.release(msg);
        refuse(ctx, refusal);
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** Reads the fixed header's type and variable-length size as bytes arrive; null while acceptable. */
  private String readHeader(ByteBuf buf) {
    for (int i = buf.readerIndex(); i < buf.writerIndex() && !headerChecked; i++) {
      int b = buf.getByte(i) & 0xff;
      if (headerBytes == 0) {
        if (b >> 4 != CONNECT) {
          return "first_packet_not_connect";
        }
      } else {
        remainingLength += (long) (b & 0x7f) << (7 * (headerBytes - 1));
        if ((b & 0x80) == 0) {
          headerChecked = true;
        } else if (headerBytes == 4) {
          return "malformed_connect";
        }
      }
      headerBytes++;
    }
    return headerChecked && headerBytes + remainingLength > maxConnectBytes ? "oversized_connect" : null;
  }

  private void refuse(ChannelHandlerContext ctx, String reason) {
    if (ctx.channel().isActive()) {
      onRefused.accept(reason);
      ctx.close();
    }
  }
}
