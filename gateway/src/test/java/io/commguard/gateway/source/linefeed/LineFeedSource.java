package io.commguard.gateway.source.linefeed;

import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.profile.codec.ProfilePayloadDecoder;
import io.commguard.gateway.registry.DeviceChanges;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.source.Ingest;
import io.commguard.gateway.source.Source;
import io.commguard.gateway.source.SourceContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The running line-feed source: one Vert.x TCP server, devices looked up in a live map. */
final class LineFeedSource implements Source {
  private static final int MAX_LINE = 4096;

  private final SourceContext context;
  private final Map<String, PayloadDecoder> decoders = new ConcurrentHashMap<>();
  private volatile Map<String, DeviceRef> devices;
  private NetServer server;

  private LineFeedSource(SourceContext context) {
    this.context = context;
    Map<String, DeviceRef> initial = new HashMap<>();
    context.devices().forEach(d -> initial.put(d.id(), ref(d)));
    this.devices = Map.copyOf(initial);
  }

  /** Listens on {@code port} of loopback; with no port configured (0) it only follows the registry. */
  static LineFeedSource start(SourceContext context, int port) {
    LineFeedSource source = new LineFeedSource(context);
    if (port == 0) {
      return source;
    }
    source.server = context.vertx().createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(port))
        .connectHandler(source::onSocket);
    source.server.listen().await();
    return source;
  }

  private DeviceRef ref(RegisteredDevice d) {
    DeviceProfile p = context.profiles().get(d.config().profile());
    return new DeviceRef(d.id(), p.id(), p.model(), d.config().site(), d.config().location());
  }

  private void onSocket(NetSocket socket) {
    RecordParser lines = RecordParser.newDelimited("\n", line -> onLine(socket, line)).maxRecordSize(MAX_LINE);
    lines.exceptionHandler(e -> socket.close());
    socket.handler(lines);
  }

  private void onLine(NetSocket socket, Buffer line) {
    String text = line.toString(StandardCharsets.UTF_8);
    int space = text.indexOf(' ');
    String id = space < 0 ? text : text.substring(0, space);
    DeviceRef device = devices.get(id);
    if (device == null) {
      context.ingest().unknownDevice(id, "line");
      socket.write("refused unknown_device\n");
      return;
    }
    byte[] payload = text.substring(space + 1).getBytes(StandardCharsets.UTF_8);
    PayloadDecoder decoder = decoders.computeIfAbsent(device.profileId(),
        profileId -> ProfilePayloadDecoder.create(context.profiles().get(profileId), context.hashKey(), context.counters()));
    Ingest.Decoding decoding = () -> decoder.decode(device, "line", payload, context.clock().instant());
    context.ingest().receive(id, payload.length, MAX_LINE, decoding, null)
        .whenComplete((ok, error) -> socket.write(error == null ? "ok\n" : "refused overloaded\n"));
  }

  @Override
  public void apply(DeviceChanges changes) {
    Map<String, DeviceRef> next = new HashMap<>(devices);
    changes.removed().forEach(d -> next.remove(d.id()));
    changes.added().forEach(d -> next.put(d.id(), ref(d)));
    changes.updated().forEach(d -> next.put(d.id(), ref(d)));
    devices = Map.copyOf(next);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().await();
    }
  }
}
