package io.commguard.gateway.source.stream;

import io.commguard.gateway.evidence.EvidenceStore;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.metrics.Untrusted;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.profile.DecodeException;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.source.Ingest;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.PemTrustOptions;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * One device's event stream: connects, authenticates, reads parts, reconnects. Everything runs on
 * the device's own event-loop context, so its state needs no locks and a slow or flooding device
 * costs only its own turns of Netty's read loop.
 *
 * <p>Lifecycle: a failure (refused connection, error status, refused credentials, a stream closed
 * by the device or silent for {@link StreamsConfig#silenceMs}) schedules the next attempt after an
 * exponential backoff with jitter (half the delay fixed, half random, so devices that failed
 * together do not reconnect together); refused credentials wait the longest delay, so the gateway
 * never locks the device's account. After {@code offlineAfterFailures} failures in a row the device
 * is reported DEVICE_OFFLINE; the first part of a new stream clears it.
 *
 * <p>Overload: at most {@code maxInFlight} parts of this device wait for the pipeline; beyond that
 * its stream is paused (TCP back-pressure to this device alone) until half of them are done.
 *
 * <p>Pictures: event parts go through a {@link PictureAttacher}, which keeps the picture parts that
 * follow an event with it when the evidence store keeps pictures, and drops them otherwise.
 */
final class EventStream {
  private static final System.Logger LOG = System.getLogger(EventStream.class.getName());

  private final DeviceRef ref;
  private final StreamDeviceConfig config;
  private final StreamsConfig limits;
  private final PayloadDecoder decoder;
  private final Ingest ingest;
  private final Counters counters;
  private final RateLimitedLog log;
  private final Clock clock;
  private final Context context;
  private final HttpClientAgent client;
  private final String target;
  private final DigestAuth digest = new DigestAuth();
  private final PictureAttacher pictures;

  // Touched only on the context.
  private boolean stopped;
  private long generation;
  private int failures;
  private boolean offline;
  private boolean established;
  private String lastFailure = "";
  private boolean basic;
  private long reconnectTimer = -1;
  private long silenceTimer = -1;
  private long lastByteNanos;
  private HttpClientResponse response;
  private int inFlight;
  private boolean paused;

  /** @param pictureBytes picture bytes being read by all streams (see {@link PictureAttacher}) */
  EventStream(DeviceRef ref, StreamDeviceConfig config, StreamsConfig limits, PayloadDecoder decoder, Ingest ingest,
      EvidenceStore evidence, AtomicLong pictureBytes, Counters counters, RateLimitedLog log, Clock clock, Vertx vertx) {
    this.ref = ref;
    this.config = config;
    this.limits = limits;
    this.decoder = decoder;
    this.ingest = ingest;
    this.counters = counters;
    this.log = log;
    this.clock = clock;
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.target = config.target(limits.heartbeatSeconds());
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(false).setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(4096).setConnectTimeout(limits.connectTimeoutMs());
    if (config.tls()) {
      options.setSsl(true).setVerifyHost(true);
      if (config.caFile() != null) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(config.caFile()));
      }
    }
    this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(2));
    PictureAttacher.Timers timers = new PictureAttacher.Timers() {
      @Override
      public long start(long delayMs, Runnable action) {
        return context.owner().setTimer(delayMs, t -> action.run());
      }

      @Override
      public void cancel(long id) {
        context.owner().cancelTimer(id);
      }
    };
    this.pictures = new PictureAttacher(ref.deviceId(), evidence, limits.pictureWaitMs(), evidence.maxPictureBytes(),
        pictureBytes, counters, timers, r -> context.runOnContext(v -> r.run()), this::hand);
  }

  String id() {
    return ref.deviceId();
  }

  void start() {
    context.runOnContext(v -> connect());
  }

  /** Closes the stream for good; completes when the connection is closed. */
  Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      stopped = true;
      generation++;
      if (reconnectTimer >= 0) {
        context.owner().cancelTimer(reconnectTimer);
      }
      cancelSilenceWatch();
      pictures.streamEnded();
      if (response != null) {
        response.request().reset();
        response = null;
        ingest.disconnected(id());
      }
      client.close().onComplete(ar -> done.complete());
    });
    return done.future();
  }

  private void connect() {
    reconnectTimer = -1;
    if (stopped) {
      return;
    }
    long attempt = ++generation;
    established = false;
    password().onComplete(pw -> {
      if (attempt != generation) {
        return;
      }
      if (pw.failed()) {
        failed(attempt, "password_unavailable", pw.cause().getMessage());
      } else {
        request(attempt, pw.result(), 0);
      }
    });
  }

  /** The device's password, read fresh for every connection (a rotated one applies at once). */
  private Future<String> password() {
    if (config.passwordEnv() != null && !config.passwordEnv().isBlank()) {
      String value = System.getenv(config.passwordEnv());
      return value == null || value.isEmpty()
          ? Future.failedFuture("environment variable " + config.passwordEnv() + " is not set")
          : Future.succeededFuture(value);
    }
    return context.executeBlocking(() -> {
      String text = Files.readString(Path.of(config.passwordFile()), StandardCharsets.UTF_8);
      int eol = text.indexOf('\n');
      String value = (eol < 0 ? text : text.substring(0, eol)).strip();
      if (value.isEmpty()) {
        throw new IllegalStateException("password file " + config.passwordFile() + " is empty");
      }
      return value;
    }).recover(e -> Future.failedFuture("password file " + config.passwordFile() + " could not be read: "
        + e.getClass().getSimpleName()));
  }

  private void request(long attempt, String password, int authRound) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(config.host())
        .setPort(config.port()).setSsl(config.tls()).setURI(target)
        .setConnectTimeout(limits.connectTimeoutMs())
        .putHeader(HttpHeaders.ACCEPT, "multipart/mixed, multipart/x-mixed-replace, */*");
    boolean sentDigest = digest.ready();
    if (sentDigest) {
      options.putHeader(HttpHeaders.AUTHORIZATION, digest.authorization("GET", target, config.user(), password));
    } else if (basic) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder()
          .encodeToString((config.user() + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    client.request(options).onComplete(req -> {
      if (req.failed()) {
        if (attempt == generation) {
          failed(attempt, reason(req.cause(), false), req.cause().getMessage());
        }
        return;
      }
      HttpClientRequest q = req.result();
      // A device that accepts the connection but never answers is as silent as a quiet stream.
      long headTimer = context.owner().setTimer(limits.silenceMs(), t -> q.reset(0,
          new TimeoutException("no answer within " + limits.silenceMs() + " ms")));
      q.send().onComplete(ar -> {
        context.owner().cancelTimer(headTimer);
        answered(attempt, password, authRound, sentDigest, ar);
      });
    });
  }

  private void answered(long attempt, String password, int authRound, boolean sentDigest,
      AsyncResult<HttpClientResponse> ar) {
    if (attempt != generation) {
      if (ar.succeeded()) {
        discard(ar.result());
      }
      return;
    }
    if (ar.failed()) {
      failed(attempt, reason(ar.cause(), false), ar.cause().getMessage());
      return;
    }
    HttpClientResponse r = ar.result();
    if (r.statusCode() == 401) {
      discard(r);
      unauthorized(attempt, password, authRound, sentDigest, r.headers().getAll("WWW-Authenticate"));
    } else if (r.statusCode() != 200) {
      discard(r);
      failed(attempt, "http_" + r.statusCode(), "the device answered " + r.statusCode());
    } else {
      streaming(attempt, r);
    }
  }

  private void unauthorized(long attempt, String password, int authRound, boolean sentDigest, List<String> challenges) {
    DigestAuth.Offer offer = DigestAuth.parse(challenges);
    if (offer.digest() != null && authRound < 2 && (!sentDigest || offer.digest().stale())) {
      if (offer.digest().stale()) {
        counters.increment("stream_nonce_renewals", id(), null);
      }
      digest.use(offer.digest());
      request(attempt, password, authRound + 1);
    } else if (offer.digest() == null && offer.basic() && !basic && authRound < 2) {
      if (!config.tls() && config.basicAuth() != StreamDeviceConfig.BasicAuth.ALLOWED) {
        failed(attempt, "basic_refused", "the device offers only HTTP Basic over plain http; use https, "
            + "enable digest on the device, or set basicAuth: ALLOWED");
        return;
      }
      basic = true;
      request(attempt, password, authRound + 1);
    } else {
      digest.reset();
      basic = false;
      failed(attempt, "unauthorized", offer.digest() == null && !offer.basic()
          ? "the device offered no digest or basic challenge" : "the device refused the user and password");
    }
  }

  private void streaming(long attempt, HttpClientResponse r) {
    String boundary = boundary(r.getHeader(HttpHeaders.CONTENT_TYPE));
    if (boundary == null) {
      discard(r);
      failed(attempt, "not_a_stream", "the answer is not multipart with a boundary");
      return;
    }
    response = r;
    inFlight = 0;
    paused = false;
    counters.increment("stream_connects", id(), null);
    ingest.connected(id(), config.peer());
    MultipartParser parser = new MultipartParser(boundary, limits.maxHeaderBytes(), new Parts(attempt));
    lastByteNanos = System.nanoTime();
    watchSilence(attempt, limits.silenceMs());
    r.handler(bytes -> {
      lastByteNanos = System.nanoTime();
      parser.feed(bytes);
    });
    r.exceptionHandler(e -> lost(attempt, reason(e, true), e.getMessage()));
    r.endHandler(v -> lost(attempt, "closed_by_device", "the device ended the stream"));
  }

  /**
   * Drops a stream that sent no byte for the silence limit (a device that stopped without closing,
   * a cut cable). A stream this source paused itself is not silent.
   */
  private void watchSilence(long attempt, long delayMs) {
    silenceTimer = context.owner().setTimer(Math.max(1, delayMs), t -> {
      if (attempt != generation || response == null) {
        return;
      }
      long quietMs = (System.nanoTime() - lastByteNanos) / 1_000_000;
      if (paused || quietMs < limits.silenceMs()) {
        watchSilence(attempt, paused ? limits.silenceMs() : limits.silenceMs() - quietMs);
      } else {
        lost(attempt, "silent", "no byte for " + quietMs + " ms");
      }
    });
  }

  /**
   * Closes an answer that is not read on (a challenge, an error, a stale connection's). Without a
   * handler for the reset it causes, Vert.x would log each one as an error with a stack trace.
   */
  private static void discard(HttpClientResponse r) {
    r.exceptionHandler(e -> { });
    r.request().reset();
  }

  /** The boundary parameter of a multipart content type, unquoted; null when there is none. */
  static String boundary(String contentType) {
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
      return null;
    }
    for (String param : contentType.split(";")) {
      String p = param.trim();
      if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
        String value = p.substring(9).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value.isEmpty() || value.length() > 200 ? null : value;
      }
    }
    return null;
  }

  private void lost(long attempt, String reason, String detail) {
    if (attempt != generation) {
      return;
    }
    // First make every callback of this connection stale: the reset below calls them back at once.
    generation++;
    HttpClientResponse r = response;
    response = null;
    cancelSilenceWatch();
    pictures.streamEnded();
    if (r != null) {
      ingest.disconnected(id());
      r.request().reset();
    }
    if (!stopped) {
      fail(reason, detail);
    }
  }

  private void cancelSilenceWatch() {
    if (silenceTimer >= 0) {
      context.owner().cancelTimer(silenceTimer);
      silenceTimer = -1;
    }
  }

  private void failed(long attempt, String reason, String detail) {
    if (attempt != generation || stopped) {
      return;
    }
    generation++;
    fail(reason, detail);
  }

  /** Counts a failure, reports the device offline when it is the failure too many, schedules the retry. */
  private void fail(String reason, String detail) {
    failures++;
    lastFailure = reason;
    counters.increment("stream_failures", id(), reason);
    log.log(Level.WARNING, id() + "|" + reason, "Event stream failed; reconnecting device=" + id() + " peer="
        + config.peer() + " reason=" + reason + " failures=" + failures + " detail=\"" + Untrusted.label(detail) + "\"");
    if (!offline && failures >= limits.offlineAfterFailures()) {
      offline = true;
      LOG.log(Level.WARNING, "Stream device offline device=" + id() + " peer=" + config.peer() + " reason=" + reason);
      report(Phase.ACTIVE);
    }
    long delay = reason.equals("unauthorized") || reason.equals("basic_refused") ? limits.maxBackoffMs()
        : backoff(failures, limits.minBackoffMs(), limits.maxBackoffMs());
    reconnectTimer = context.owner().setTimer(delay, id -> connect());
  }

  /** Exponential delay for the {@code failures}-th failure in a row, half of it random. */
  static long backoff(int failures, long minMs, long maxMs) {
    long base = Math.min(maxMs, minMs << Math.min(failures - 1, 20));
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }

  /** Names a connection failure for counters and logs. */
  private static String reason(Throwable e, boolean streaming) {
    String name = e.getClass().getSimpleName();
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (name.contains("ConnectTimeout") || (!streaming && message.contains("connection timed out"))) {
      return "connect_timeout";
    }
    if (name.contains("Timeout") || message.contains("timeout period")) {
      return streaming ? "silent" : "timeout";
    }
    if (e instanceof ConnectException) {
      return "connect_refused";
    }
    if (e instanceof UnknownHostException) {
      return "unknown_host";
    }
    if (e instanceof SSLException) {
      return "tls_failed";
    }
    return streaming ? "connection_lost" : "io_error";
  }

  /** The first part of a stream proves it works: failures are forgiven and an offline report cleared. */
  private void establish() {
    if (established) {
      return;
    }
    established = true;
    failures = 0;
    LOG.log(Level.INFO, "Event stream open device=" + id() + " peer=" + config.peer() + " kind=" + config.kind());
    if (offline) {
      offline = false;
      LOG.log(Level.INFO, "Stream device back online device=" + id() + " peer=" + config.peer());
      report(Phase.INACTIVE);
    }
  }

  /** Reports DEVICE_OFFLINE (ACTIVE) or its end; retried every second while refused and still true. */
  private void report(Phase phase) {
    DeviceEvent event = new DeviceEvent(ref, EventKind.STATUS, CanonicalType.DEVICE_OFFLINE,
        CanonicalType.DEVICE_OFFLINE.defaultLevel(), phase, phase == Phase.ACTIVE ? lastFailure : "", null,
        clock.instant(), "offline", List.of(), List.of(), Map.of("state", phase == Phase.ACTIVE ? "OFFLINE" : "ONLINE"),
        phase == Phase.ACTIVE ? "Event stream lost (" + lastFailure + ") " + failures + " times in a row"
            : "Event stream back");
    ingest.deliver(id(), List.of(event)).whenComplete((ok, error) -> {
      if (error != null) {
        context.runOnContext(v -> {
          if (!stopped && offline == (phase == Phase.ACTIVE)) {
            context.owner().setTimer(1000, t -> {
              if (!stopped && offline == (phase == Phase.ACTIVE)) {
                report(phase);
              }
            });
          }
        });
      }
    });
  }

  /** The parts of one connection. */
  private final class Parts implements MultipartParser.Listener {
    private final long attempt;

    Parts(long attempt) {
      this.attempt = attempt;
    }

    @Override
    public MultipartParser.Disposition begin(Map<String, String> headers) {
      if (attempt != generation) {
        return MultipartParser.Disposition.DISCARD;
      }
      return isPicture(headers) ? pictures.picture(headers) : MultipartParser.Disposition.keep(limits.maxPartBytes());
    }

    @Override
    public void part(Map<String, String> headers, byte[] body) {
      if (attempt != generation) {
        return;
      }
      establish();
      if (isPicture(headers)) {
        pictures.picture(headers, body);
        return;
      }
      int end = body.length;
      while (end > 0 && (body[end - 1] == '\n' || body[end - 1] == '\r' || body[end - 1] == ' ')) {
        end--;
      }
      if (end == 0) {
        return;
      }
      byte[] payload = end == body.length ? body : java.util.Arrays.copyOf(body, end);
      if (config.kind() == StreamDeviceConfig.Kind.DAHUA && isHeartbeat(payload)) {
        counters.increment("stream_heartbeats", id(), null);
        pictures.release();
        return;
      }
      Instant received = clock.instant();
      pictures.event(payload.length, () -> decoder.decode(ref, target, payload, received));
      pauseWhenBusy();
    }

    @Override
    public void skipped(Map<String, String> headers, long bytes, MultipartParser.Skip reason) {
      if (attempt != generation) {
        return;
      }
      establish();
      if (reason != MultipartParser.Skip.MALFORMED_HEADERS && isPicture(headers)) {
        pictures.pictureSkipped(reason);
        return;
      }
      switch (reason) {
        case DISCARDED -> { } // only pictures are discarded
        case OVERSIZED -> ingest.oversized(id(), bytes, limits.maxPartBytes());
        case MALFORMED_HEADERS -> pictures.event(0, () -> {
          throw new DecodeException("part", "malformed_part", "part headers over " + limits.maxHeaderBytes()
              + " bytes or without their blank line");
        });
      }
    }
  }

  /** Hands one event part to the pipeline, pausing the stream while too many of this device's wait. */
  private void hand(int bytes, Ingest.Decoding decoding) {
    long attempt = generation;
    inFlight++;
    pauseWhenBusy();
    ingest.receive(id(), bytes, limits.maxPartBytes(), decoding, null).whenComplete((ok, error) ->
        context.runOnContext(v -> {
          inFlight--;
          if (paused && busy() <= limits.maxInFlight() / 2 && attempt == generation && response != null) {
            paused = false;
            lastByteNanos = System.nanoTime();
            response.resume();
          }
        }));
  }

  /** Event parts of this device on their way: in the pipeline, held for pictures or waiting behind them. */
  private int busy() {
    return inFlight + pictures.pending();
  }

  private void pauseWhenBusy() {
    if (busy() >= limits.maxInFlight() && !paused && response != null) {
      paused = true;
      response.pause();
      counters.increment("stream_paused", id(), "overloaded");
    }
  }

  private static boolean isPicture(Map<String, String> headers) {
    String type = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    return type.startsWith("image/") || type.startsWith("application/octet-stream");
  }

  private static boolean isHeartbeat(byte[] payload) {
    return payload.length == 9 && new String(payload, StandardCharsets.US_ASCII).equals("Heartbeat");
  }
}
