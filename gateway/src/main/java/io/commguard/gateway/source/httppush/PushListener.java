package io.commguard.gateway.source.httppush;

import io.commguard.gateway.evidence.EvidenceStore;
import io.commguard.gateway.evidence.EvidenceStore.Subject;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.metrics.Untrusted;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.Evidence;
import io.commguard.gateway.pipeline.Receipt;
import io.commguard.gateway.profile.DecodeException;
import io.commguard.gateway.source.Ingest;
import io.commguard.gateway.source.httppush.PushAuth.Verdict;
import io.commguard.gateway.source.httppush.PushBody.BadBody;
import io.commguard.gateway.source.httppush.PushBody.Parsed;
import io.commguard.gateway.source.httppush.PushBody.Part;
import io.commguard.gateway.source.httppush.PushDevices.Device;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP listener devices push events to. One instance per event loop shares the port.
 *
 * <p>A request, in order: its sender is found by path and source address ({@link PushDevices}),
 * else 403; it is admitted against {@link PushLimits} (503 when the listener is full, 429 when its
 * device has {@code maxRequestsPerDevice} in progress); its declared length is checked (413); its
 * credentials are checked ({@link PushAuth}, 401 with a challenge); then its body is read, counted
 * off as it arrives (413 as soon as it passes {@code maxBodyBytes}, chunked or not; 408 when it has
 * not fully arrived within {@code requestTimeoutSeconds}), split into event and pictures
 * ({@link PushBody}), the pictures handed to the {@link EvidenceStore}, the events decoded with the
 * device's profile and handed to {@link Ingest}. The answer is 200 only once every alert the
 * request produced is committed — the device's retry is the retransmission; 400 for a body that
 * can never be decoded (counted by Ingest as {@code rejected{reason}}), 503 when the pipeline
 * stays overloaded. A refused request's connection is closed, so an unread body never costs more.
 * A Hikvision {@code heartBeat} is answered 200 and only marks the device as heard.
 *
 * <p>Counters: {@code push_requests_refused{device,reason}} (unknown senders under
 * {@code device=_unknown}), {@code push_parts_ignored{device}}, {@code push_heartbeats{device}},
 * {@code connections_refused{reason=too_many_connections}}; decoding outcomes through Ingest. Peer
 * text (paths, addresses) reaches logs and counters only through {@link Untrusted}.
 */
final class PushListener extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(PushListener.class.getName());
  private static final String UNKNOWN = "_unknown";
  /** Pictures beyond this many in one request are dropped and counted. */
  static final int MAX_PICTURES = 8;
  private static final int MAX_PATH_CHARS = 256;

  private final HttpPushConfig config;
  private final PushDevices devices;
  private final Ingest ingest;
  private final EvidenceStore evidence;
  private final PushAuth auth;
  private final PushLimits limits;
  private final Counters counters;
  private final Clock clock;
  private final RateLimitedLog log = new RateLimitedLog(LOG, 10_000);
  private HttpServer server;

  PushListener(HttpPushConfig config, PushDevices devices, Ingest ingest, EvidenceStore evidence, PushAuth auth,
      PushLimits limits, Counters counters, Clock clock) {
    this.config = config;
    this.devices = devices;
    this.ingest = ingest;
    this.evidence = evidence;
    this.auth = auth;
    this.limits = limits;
    this.counters = counters;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setIdleTimeout(config.requestTimeoutSeconds())
        .setMaxInitialLineLength(4096)
        .setMaxHeaderSize(8192)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setHandle100ContinueAutomatically(false)
        // Devices speak HTTP/1.1; HTTP/2 would only add a second protocol for a peer to attack.
        .setHttp2ClearTextEnabled(false)
        .setUseAlpn(false);
    if (config.tls() != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.tls().certFile())
          .setKeyPath(config.tls().keyFile()));
    }
    server = vertx.createHttpServer(options)
        .connectionHandler(this::onConnection)
        .invalidRequestHandler(this::onInvalid)
        .requestHandler(this::onRequest);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void onConnection(HttpConnection connection) {
    if (!limits.openConnection()) {
      counters.increment("connections_refused", null, "too_many_connections");
      log.log(Level.WARNING, "connections", "Refused push connection reason=too_many_connections remote="
          + connection.remoteAddress().hostAddress());
      connection.close();
      return;
    }
    connection.closeHandler(v -> limits.closeConnection());
  }

  private void onInvalid(HttpServerRequest request) {
    counters.increment("push_requests_refused", UNKNOWN, "malformed_request");
    answer(request, 400, null, true);
  }

  private void onRequest(HttpServerRequest request) {
    String address = request.remoteAddress().hostAddress();
    String path = request.path();
    Device device = Untrusted.fits(path, MAX_PATH_CHARS) ? devices.find(path, address) : null;
    if (device == null) {
      ingest.unknownDevice(address, path == null ? "-" : path);
      counters.increment("push_requests_refused", UNKNOWN, "unknown_sender");
      answer(request, 403, null, true);
      return;
    }
    String id = device.id();
    if (request.method() != HttpMethod.POST && request.method() != HttpMethod.PUT) {
      refuse(request, device, 405, "method_not_allowed", null);
      return;
    }
    String busy = limits.admit(id);
    if (busy != null) {
      refuse(request, device, busy.equals("busy") ? 503 : 429, busy, null);
      return;
    }
    AtomicBoolean released = new AtomicBoolean();
    AtomicBoolean gone = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        limits.release(id);
      }
    };
    request.response().closeHandler(v -> {
      gone.set(true);
      release.run();
    });
    request.response().endHandler(v -> release.run());
    long declared = declaredLength(request);
    if (declared > config.maxBodyBytes()) {
      ingest.oversized(id, declared, config.maxBodyBytes());
      answer(request, 413, null, true);
      return;
    }
    request.pause();
    CompletableFuture<Verdict> decided = auth.check(device, request.getHeader("Authorization"), request.method().name(),
        request.uri(), address, gone::get);
    if (decided.isDone()) {
      authenticated(request, device, address, decided.join());
    } else {
      decided.whenComplete((verdict, error) -> context.runOnContext(v -> authenticated(request, device, address,
          error == null ? verdict : new Verdict(false, false, 503, "busy"))));
    }
  }

  private void authenticated(HttpServerRequest request, Device device, String address, Verdict verdict) {
    if (!verdict.accepted()) {
      ingest.refused(device.id(), verdict.reason());
      String challenge = verdict.challenge() ? auth.challenge(device, "stale_nonce".equals(verdict.reason())) : null;
      refuse(request, device, verdict.status(), verdict.reason(), challenge);
      return;
    }
    if (devices.get(device.id()) != device) {
      refuse(request, device, 503, "device_changed", null); // changed while its password was checked
      return;
    }
    ingest.answered(device.id(), address);
    if (devices.firstHeard(device.id())) {
      LOG.log(Level.INFO, "Push device heard device=" + device.id() + " remote=" + address);
    }
    readBody(request, device);
  }

  private void readBody(HttpServerRequest request, Device device) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    AtomicBoolean finished = new AtomicBoolean();
    long timer = vertx.setTimer(config.requestTimeoutSeconds() * 1000L, t -> {
      if (finished.compareAndSet(false, true)) {
        refuse(request, device, 408, "timeout", null);
      }
    });
    request.handler(chunk -> {
      if (finished.get()) {
        return;
      }
      if (body.size() + (long) chunk.length() > config.maxBodyBytes()) {
        finished.set(true);
        vertx.cancelTimer(timer);
        ingest.oversized(device.id(), body.size() + (long) chunk.length(), config.maxBodyBytes());
        answer(request, 413, null, true);
        return;
      }
      body.writeBytes(chunk.getBytes());
    });
    request.exceptionHandler(e -> {
      if (finished.compareAndSet(false, true)) {
        vertx.cancelTimer(timer);
        counters.increment("connection_errors", device.id(), e.getClass().getSimpleName());
      }
    });
    request.endHandler(v -> {
      if (finished.compareAndSet(false, true)) {
        vertx.cancelTimer(timer);
        received(request, device, body.toByteArray());
      }
    });
    request.resume();
  }

  private void received(HttpServerRequest request, Device device, byte[] body) {
    String id = device.id();
    Parsed parsed;
    List<DeviceEvent> events = new ArrayList<>();
    ByteArrayOutputStream identity = new ByteArrayOutputStream();
    try {
      parsed = PushBody.parse(request.getHeader("Content-Type"), body);
      if (parsed.events().size() == 1 && PushBody.heartbeat(parsed.events().get(0).bytes())) {
        counters.increment("push_heartbeats", id, null);
        answer(request, 200, null, false);
        return;
      }
      for (Part part : parsed.events()) {
        events.addAll(device.decoder().decode(device.ref(), request.path(), part.bytes(), clock.instant()));
        identity.writeBytes(part.bytes());
      }
    } catch (BadBody e) {
      rejectBody(request, id, body.length, new DecodeException("", e.reason, "body with no event part"));
      return;
    } catch (DecodeException e) {
      rejectBody(request, id, body.length, e);
      return;
    } catch (RuntimeException e) {
      rejectBody(request, id, body.length, new DecodeException("", "decoder_error", e.getClass().getSimpleName()));
      return;
    }
    if (parsed.ignored() > 0) {
      counters.increment("push_parts_ignored", id, null);
    }
    List<CompletableFuture<Optional<String>>> kept = keepPictures(device, parsed, events);
    Receipt receipt = Receipt.of(id, 0, false, request.path(), identity.toByteArray());
    CompletableFuture<Void> all = CompletableFuture.allOf(kept.toArray(CompletableFuture[]::new));
    if (all.isDone()) {
      commit(request, id, body.length, withEvidence(events, kept), receipt);
    } else {
      all.whenComplete((ok, error) -> context.runOnContext(v ->
          commit(request, id, body.length, withEvidence(events, kept), receipt)));
    }
  }

  /** Hands the pictures to the evidence store; face pictures ({@link Subject#of}) are kept only when the operator allows it. */
  private List<CompletableFuture<Optional<String>>> keepPictures(Device device, Parsed parsed, List<DeviceEvent> events) {
    List<CompletableFuture<Optional<String>>> out = new ArrayList<>();
    for (int i = 0; i < parsed.pictures().size(); i++) {
      Part p = parsed.pictures().get(i);
      if (i >= MAX_PICTURES) {
        counters.increment("pictures_dropped", device.id(), "too_many");
        continue;
      }
      Subject subject = Subject.of(events, p.namedAsFace());
      out.add(evidence.store(device.id(), subject, p.bytes()).toCompletableFuture());
    }
    return out;
  }

  private static List<DeviceEvent> withEvidence(List<DeviceEvent> events, List<CompletableFuture<Optional<String>>> kept) {
    List<Evidence> refs = kept.stream().map(f -> f.getNow(Optional.empty())).flatMap(Optional::stream)
        .map(ref -> new Evidence("image", ref)).toList();
    return refs.isEmpty() ? events : events.stream().map(e -> e.withEvidence(refs)).toList();
  }

  private void commit(HttpServerRequest request, String id, long bytes, List<DeviceEvent> events, Receipt receipt) {
    ingest.receive(id, bytes, Long.MAX_VALUE, () -> events, receipt).whenComplete((ok, error) -> context.runOnContext(v -> {
      if (error == null) {
        answer(request, 200, null, false);
      } else {
        counters.increment("push_requests_refused", id, "overloaded");
        answer(request, 503, null, true);
      }
    }));
  }

  /** Counts a body that can never be decoded through Ingest (received, rejected with its reason) and answers 400. */
  private void rejectBody(HttpServerRequest request, String id, long bytes, DecodeException why) {
    ingest.receive(id, bytes, Long.MAX_VALUE, () -> {
      throw why;
    }, null);
    answer(request, 400, null, false);
  }

  private void refuse(HttpServerRequest request, Device device, int status, String reason, String challenge) {
    counters.increment("push_requests_refused", device.id(), reason);
    log.log(Level.WARNING, device.id() + '|' + reason, "Refused push request device=" + device.id() + " reason=" + reason
        + " status=" + status + " remote=" + request.remoteAddress().hostAddress());
    answer(request, status, challenge, true);
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Answers once. With {@code close}, the connection closes after the answer; what the device is
   * still sending of its body is read off and discarded first (for at most a second), so the close
   * is a clean one and the device reads the answer instead of a reset.
   */
  private void answer(HttpServerRequest request, int status, String challenge, boolean close) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status);
    if (challenge != null) {
      response.putHeader("WWW-Authenticate", challenge);
    }
    if (status == 429 || status == 503) {
      response.putHeader("Retry-After", "1");
    }
    if (close) {
      response.putHeader("Connection", "close");
    }
    response.end();
    if (!close) {
      return;
    }
    if (request.isEnded()) {
      request.connection().close();
      return;
    }
    long timer = vertx.setTimer(1000, t -> request.connection().close());
    request.handler(discarded -> { });
    request.exceptionHandler(e -> vertx.cancelTimer(timer));
    request.endHandler(v -> {
      vertx.cancelTimer(timer);
      request.connection().close();
    });
    request.resume();
  }
}
