package io.commguard.gateway.source.mqtt;

import io.commguard.gateway.config.TlsConfig;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.pipeline.EventSink;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.security.DeviceAuthenticator;
import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.security.VerifiedPasswords;
import io.commguard.gateway.source.Ingest;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.topic.TopicFilter;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The embedded device endpoint on a free loopback port with one configured device, {@value #DEVICE}
 * (password {@value #PASSWORD}, topics {@code devices/cam-01/#}), in its own Vert.x: what the
 * endpoint tests share. Every decoded event is kept in {@link #received}. The pipeline accepts at
 * once, or, when the test holds the commits, only as the test completes the futures in
 * {@link #pendingAccepts} (so it can see that a PUBACK waits for the commit).
 */
final class EndpointFixture implements AutoCloseable {
  static final String DEVICE = "cam-01";
  static final String PASSWORD = "dev-secret-1";

  final Counters counters = new Counters();
  final List<DeviceEvent> received = new CopyOnWriteArrayList<>();
  final List<CompletableFuture<Void>> pendingAccepts = new CopyOnWriteArrayList<>();
  final int port = FreePort.next();
  final Vertx vertx = Vertx.vertx();
  private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor();
  private final DeviceAuthenticator authenticator;

  /**
   * @param tls the endpoint's TLS section, or null for plain MQTT
   * @param holdCommits true: every accept waits for the test to complete it in {@link #pendingAccepts}
   */
  EndpointFixture(PayloadDecoder decoder, TlsConfig tls, boolean holdCommits) {
    DeviceBinding binding = new DeviceBinding(new DeviceRef(DEVICE, "test-profile", "test", null, "gate 1"), decoder,
        new TopicFilter("devices/cam-01/#"), PasswordHash.hash(PASSWORD.toCharArray()));
    EventSink sink = (events, receipt) -> {
      received.addAll(events);
      if (!holdCommits) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> accepted = new CompletableFuture<>();
      pendingAccepts.add(accepted);
      return accepted;
    };
    DeviceEndpointConfig config = new DeviceEndpointConfig(true, "127.0.0.1", port, 1024, tls);
    authenticator = new DeviceAuthenticator(config.auth().policy(), new VerifiedPasswords(), System::nanoTime,
        List.of(binding.passwordHash()));
    MqttDevices devices = new MqttDevices(Map.of(DEVICE, binding), d -> {
      throw new IllegalStateException("no registry in this test");
    });
    vertx.deployVerticle(new DeviceEndpoint(config, devices, new Ingest(sink, counters, retry), authenticator,
        new ConnectionLimits(100, 10), counters, Clock.systemUTC())).await();
  }

  @Override
  public void close() {
    vertx.close().await();
    authenticator.close();
    retry.shutdownNow();
  }
}
