package io.commguard.gateway.source.httppush;

import io.commguard.gateway.registry.DeviceChanges;
import io.commguard.gateway.security.DeviceAuthenticator;
import io.commguard.gateway.security.LoginThrottle;
import io.commguard.gateway.security.VerifiedPasswords;
import io.commguard.gateway.source.Source;
import io.commguard.gateway.source.SourceContext;
import io.vertx.core.DeploymentOptions;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The running push source: the listener's verticles and the login checks they share. With the
 * listener off (the default) nothing listens: validation allows no push device then.
 */
final class PushSource implements Source {
  private static final System.Logger LOG = System.getLogger(PushSource.class.getName());

  private final PushDevices devices;
  private final VerifiedPasswords verified = new VerifiedPasswords();
  private final List<AutoCloseable> stopOrder = new ArrayList<>();

  private PushSource(PushDevices devices) {
    this.devices = devices;
  }

  static PushSource start(SourceContext context, HttpPushConfig config) throws Exception {
    PushSource source = new PushSource(PushDevices.of(context.devices(), context.profiles(), context.hashKey(),
        context.counters()));
    try {
      if (config.enabled()) {
        source.listen(context, config);
      }
      return source;
    } catch (Exception | Error e) {
      source.close();
      throw e;
    }
  }

  private void listen(SourceContext context, HttpPushConfig config) throws Exception {
    stopOrder.add(verified);
    DeviceAuthenticator authenticator = new DeviceAuthenticator(new DeviceAuthenticator.Policy(1, 1024, 5, 20, 300),
        verified, System::nanoTime, List.of());
    stopOrder.add(0, authenticator);
    DigestAuth digest = new DigestAuth(config.realm(), context.clock()::millis,
        new LoginThrottle(5, 300, 10_000, System::nanoTime));
    PushAuth auth = new PushAuth(authenticator, digest, config.realm());
    PushLimits limits = new PushLimits(config);
    String deployment = context.vertx().deployVerticle(
        () -> new PushListener(config, devices, context.ingest(), context.evidence(), auth, limits, context.counters(),
            context.clock()),
        new DeploymentOptions().setInstances(context.eventLoops())).await();
    stopOrder.add(0, () -> context.vertx().undeploy(deployment).await());
    if (config.plaintextOffLoopback()) {
      LOG.log(Level.WARNING, "Push listener is plain HTTP on a network address (httpPush.allowPlaintext): "
          + "device credentials and alarms cross the LAN unencrypted; configure httpPush.tls host=" + config.host());
    }
    LOG.log(Level.INFO, "Push listener listening host=" + config.host() + " port=" + config.port()
        + " tls=" + (config.tls() != null));
  }

  @Override
  public void apply(DeviceChanges changes) {
    changes.removed().forEach(d -> verified.forget(d.id()));
    changes.updated().forEach(d -> verified.forget(d.id()));
    devices.apply(changes);
  }

  @Override
  public void close() {
    for (AutoCloseable c : stopOrder) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "Error while stopping the push source error=" + e);
      }
    }
    stopOrder.clear();
  }
}
