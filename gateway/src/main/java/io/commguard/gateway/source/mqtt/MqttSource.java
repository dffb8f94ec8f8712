package io.commguard.gateway.source.mqtt;

import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.registry.DeviceChanges;
import io.commguard.gateway.registry.RegisteredDevice;
import io.commguard.gateway.security.DeviceAuthenticator;
import io.commguard.gateway.security.VerifiedPasswords;
import io.commguard.gateway.source.Source;
import io.commguard.gateway.source.SourceContext;
import io.commguard.gateway.validation.ProblemCollector;
import io.vertx.core.DeploymentOptions;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The running MQTT source: the device endpoint's verticles and the site-broker client, if configured. */
final class MqttSource implements Source {
  private static final System.Logger LOG = System.getLogger(MqttSource.class.getName());

  private final MqttDevices devices;
  private final List<AutoCloseable> stopOrder = new ArrayList<>();
  private VerifiedPasswords verified;

  private MqttSource(MqttDevices devices) {
    this.devices = devices;
  }

  static MqttSource start(SourceContext context) throws Exception {
    MqttSource source = new MqttSource(MqttDevices.of(context.devices(), context.profiles(), context.hashKey(), context.counters()));
    try {
      DeviceEndpointConfig endpoint = MqttSourceType.endpoint(context.config(), new ProblemCollector("config"));
      source.startEndpoint(context, endpoint);
      source.startSiteBroker(context, endpoint.maxPayloadBytes());
      return source;
    } catch (Exception | Error e) {
      source.close();
      throw e;
    }
  }

  private void startEndpoint(SourceContext context, DeviceEndpointConfig endpoint) throws Exception {
    GatewayConfig config = context.config();
    if (!endpoint.enabled()) {
      return;
    }
    verified = endpoint.auth().rememberLogins() ? VerifiedPasswords.durable(Path.of(config.dataDir())) : new VerifiedPasswords();
    stopOrder.add(0, verified);
    DeviceAuthenticator authenticator = new DeviceAuthenticator(endpoint.auth().policy(), verified, System::nanoTime,
        devices.passwordHashes());
    stopOrder.add(0, authenticator);
    ConnectionLimits limits = new ConnectionLimits(endpoint.limits().maxConnections(), endpoint.limits().maxConnectionsPerAddress());
    String deployment = context.vertx().deployVerticle(
        () -> new DeviceEndpoint(endpoint, devices, context.ingest(), authenticator, limits, context.counters(), context.clock()),
        new DeploymentOptions().setInstances(context.eventLoops())).await();
    stopOrder.add(0, () -> context.vertx().undeploy(deployment).await());
    if (endpoint.plaintextOffLoopback()) {
      LOG.log(Level.WARNING, "Device endpoint is plaintext on a network address (deviceEndpoint.allowPlaintext): "
          + "device passwords and alarms cross the LAN unencrypted; configure deviceEndpoint.tls host=" + endpoint.host());
    }
    LOG.log(Level.INFO, "Device endpoint listening host=" + endpoint.host() + " port=" + endpoint.port());
  }

  /** @param maxPayloadBytes the same payload limit as the endpoint's */
  private void startSiteBroker(SourceContext context, int maxPayloadBytes) throws Exception {
    ExternalBrokerConfig broker = MqttSourceType.broker(context.config(), new ProblemCollector("config"));
    if (broker == null) {
      return;
    }
    SiteBrokerSource site = new SiteBrokerSource(broker, context.config().gatewayId() + "-site", devices, context.ingest(),
        context.counters(), context.clock(), maxPayloadBytes);
    stopOrder.add(0, site);
    site.start();
  }

  @Override
  public void apply(DeviceChanges changes) {
    if (verified != null) {
      forgetChangedLogins(changes, devices, verified);
    }
    devices.apply(changes);
  }

  /**
   * Forgets the remembered login of each device that left service (removed or disabled) or whose
   * password hash changed; a change of site, location or topic keeps it, so an import that edits
   * every device's location does not make each of them pass PBKDF2 again. Runs before {@code
   * devices} applies the change: it compares with the hash in service.
   */
  static void forgetChangedLogins(DeviceChanges changes, MqttDevices devices, VerifiedPasswords verified) {
    changes.removed().forEach(d -> verified.forget(d.id()));
    for (RegisteredDevice d : changes.updated()) {
      DeviceBinding before = devices.get(d.id());
      if (before == null || !Objects.equals(before.passwordHash(), d.config().passwordHash())) {
        verified.forget(d.id());
      }
    }
  }

  @Override
  public void close() {
    for (AutoCloseable c : stopOrder) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "Error while stopping the MQTT source error=" + e);
      }
    }
    stopOrder.clear();
  }
}
