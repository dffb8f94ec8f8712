package io.commguard.gateway.source.stream;

import io.commguard.gateway.config.DeviceConfig;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.profile.codec.ProfilePayloadDecoder;
import io.commguard.gateway.registry.DeviceChanges;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.source.Source;
import io.commguard.gateway.source.SourceContext;
import io.commguard.gateway.validation.ProblemCollector;
import io.vertx.core.Future;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds one event stream per device bound with a {@code stream} key; devices join and leave with
 * registry changes without touching the other streams.
 */
final class StreamSource implements Source {
  private static final System.Logger LOG = System.getLogger(StreamSource.class.getName());

  private final StreamsConfig limits;
  private final SourceContext context;
  private final RateLimitedLog log = new RateLimitedLog(LOG, 60_000);
  private final Map<String, PayloadDecoder> decoders = new ConcurrentHashMap<>();
  private final Map<String, EventStream> streams = new ConcurrentHashMap<>();
  private final AtomicLong pictureBytes = new AtomicLong();

  StreamSource(StreamsConfig limits, SourceContext context) {
    this.limits = limits;
    this.context = context;
  }

  void start(List<RegisteredDevice> devices) {
    devices.forEach(d -> open(d.config()));
    LOG.log(Level.INFO, "Event stream source started devices=" + streams.size());
  }

  @Override
  public void apply(DeviceChanges changes) {
    List<RegisteredDevice> leaving = new ArrayList<>(changes.removed());
    leaving.addAll(changes.updated());
    for (RegisteredDevice d : leaving) {
      EventStream s = streams.remove(d.id());
      if (s != null) {
        s.stop();
      }
    }
    changes.added().forEach(d -> open(d.config()));
    changes.updated().forEach(d -> open(d.config()));
  }

  private void open(DeviceConfig d) {
    DeviceProfile profile = context.profiles().get(d.profile());
    PayloadDecoder decoder = decoders.computeIfAbsent(d.profile(),
        id -> ProfilePayloadDecoder.create(profile, context.hashKey(), context.counters()));
    StreamDeviceConfig binding = StreamSourceType.binding(d, "device " + d.id(), new ProblemCollector("registry"));
    DeviceRef ref = new DeviceRef(d.id(), d.profile(), profile.vendor() + " " + profile.model(), d.site(), d.location());
    EventStream stream = new EventStream(ref, binding, limits, decoder, context.ingest(), context.evidence(),
        pictureBytes, context.counters(), log, context.clock(), context.vertx());
    streams.put(d.id(), stream);
    stream.start();
  }

  /** Closes every stream; waits up to 5 s. */
  @Override
  public void close() {
    List<Future<Void>> stops = streams.values().stream().map(EventStream::stop).toList();
    streams.clear();
    try {
      Future.join(stops).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Event streams did not all close in time detail=" + e.getMessage());
    }
  }
}
