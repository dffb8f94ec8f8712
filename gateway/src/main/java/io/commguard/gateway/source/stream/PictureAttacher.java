package io.commguard.gateway.source.stream;

import io.commguard.gateway.evidence.EvidenceStore;
import io.commguard.gateway.evidence.EvidenceStore.Subject;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.Evidence;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.profile.DecodeException;
import io.commguard.gateway.source.Ingest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attaches the pictures a stream carries to the event they belong to. A camera sends an event part
 * and then its picture parts, so with the evidence store keeping pictures each event is decoded
 * when it arrives and, when it starts or pulses something (pictures come with those, not with an
 * end or a keep-alive), held briefly: until the next part that is not a picture, a heartbeat, the
 * end of the stream, or {@code holdMs} at the latest. Pictures that arrive meanwhile go to the evidence
 * store and their references into the held event's evidence; a picture that follows no held event
 * is dropped ({@code no_event}). Without keeping nothing is held and every picture is dropped
 * ({@code not_kept}), as before.
 *
 * <p>Bounds: one held event per stream, at most {@link #MAX_PICTURES} pictures per event, each read
 * into memory up to the store's picture size and within {@link #MAX_BUFFERED_BYTES} shared by all
 * streams (beyond: dropped, {@code busy}). Events are handed over in the order they arrived, each
 * once its pictures are written. Face pictures follow the store's policy ({@link Subject#of}).
 *
 * <p>Runs on its stream's context; {@code onContext} brings the store's answers back to it.
 */
final class PictureAttacher {
  /** Pictures kept per event; more are dropped ({@code too_many}). */
  static final int MAX_PICTURES = 8;
  /** Picture bytes being read, over all streams of the gateway. */
  static final long MAX_BUFFERED_BYTES = 32L << 20;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /** Where an event goes once its pictures are attached (the stream's flow-controlled hand-over). */
  interface Handoff {
    void hand(int bytes, Ingest.Decoding decoding);
  }

  /** The stream's timers. */
  interface Timers {
    long start(long delayMs, Runnable action);

    void cancel(long id);
  }

  private final String deviceId;
  private final EvidenceStore evidence;
  private final long holdMs;
  private final long maxPictureBytes;
  private final AtomicLong buffered;
  private final Counters counters;
  private final Timers timers;
  private final Executor onContext;
  private final Handoff out;

  private Held held;
  /** The last event handed over (or waiting to be); the next one follows it. */
  private CompletableFuture<Void> handed = DONE;
  /** Bytes reserved for the picture being read. */
  private long reserved;
  /** Events handed over that wait for pictures being written or for an earlier event. */
  private int waiting;

  /** An event waiting for its pictures. */
  private static final class Held {
    final int bytes;
    final List<DeviceEvent> events;
    final Exception error;
    final List<CompletableFuture<Optional<String>>> pictures = new ArrayList<>();
    long timer = -1;

    Held(int bytes, List<DeviceEvent> events, Exception error) {
      this.bytes = bytes;
      this.events = events;
      this.error = error;
    }

    Ingest.Decoding decoding() {
      return () -> {
        if (error instanceof DecodeException e) {
          throw e;
        }
        if (error != null) {
          throw (RuntimeException) error;
        }
        List<Evidence> refs = pictures.stream().map(f -> f.getNow(Optional.empty())).flatMap(Optional::stream)
            .map(ref -> new Evidence("image", ref)).toList();
        return refs.isEmpty() ? events : events.stream().map(e -> e.withEvidence(refs)).toList();
      };
    }
  }

  /**
   * @param maxPictureBytes the largest picture read (the store's {@code maxPictureBytes})
   * @param buffered picture bytes being read by every stream, bounded by {@link #MAX_BUFFERED_BYTES}
   */
  PictureAttacher(String deviceId, EvidenceStore evidence, long holdMs, long maxPictureBytes, AtomicLong buffered,
      Counters counters, Timers timers, Executor onContext, Handoff out) {
    this.deviceId = deviceId;
    this.evidence = evidence;
    this.holdMs = holdMs;
    this.maxPictureBytes = maxPictureBytes;
    this.buffered = buffered;
    this.counters = counters;
    this.timers = timers;
    this.onContext = onContext;
    this.out = out;
  }

  /** An event part: the one held before goes on; this one is held for its pictures when they are kept. */
  void event(int bytes, Ingest.Decoding decoding) {
    release();
    if (!evidence.keeps()) {
      out.hand(bytes, decoding);
      return;
    }
    Held h;
    try {
      h = new Held(bytes, decoding.decode(), null);
    } catch (DecodeException | RuntimeException e) {
      handOver(new Held(bytes, List.of(), e)); // pictures of an event that is rejected have nothing to attach to
      return;
    }
    if (h.events.stream().allMatch(e -> e.phase() == Phase.INACTIVE)) {
      handOver(h);
      return;
    }
    held = h;
    h.timer = timers.start(holdMs, () -> {
      if (held == h) {
        h.timer = -1;
        release();
      }
    });
  }

  /** Whether to read the picture part that starts with {@code headers}; a refusal is counted here. */
  MultipartParser.Disposition picture(Map<String, String> headers) {
    String refused = null;
    long declared = MultipartParser.declaredLength(headers);
    long want = declared >= 0 ? declared : maxPictureBytes;
    if (!evidence.keeps()) {
      refused = "not_kept";
    } else if (held == null) {
      refused = "no_event";
    } else if (held.pictures.size() >= MAX_PICTURES) {
      refused = "too_many";
    } else if (want > maxPictureBytes) {
      refused = "too_large";
    } else if (want == 0) {
      refused = "not_an_image";
    } else if (buffered.addAndGet(want) > MAX_BUFFERED_BYTES) {
      buffered.addAndGet(-want);
      refused = "busy";
    }
    if (refused != null) {
      counters.increment("pictures_dropped", deviceId, refused);
      return MultipartParser.Disposition.DISCARD;
    }
    reserved = want;
    return MultipartParser.Disposition.keep(want);
  }

  /** A picture part read whole: to the store, its reference to the held event. */
  void picture(Map<String, String> headers, byte[] bytes) {
    unreserve();
    if (held == null) {
      counters.increment("pictures_dropped", deviceId, "late"); // its event went on at the time limit
      return;
    }
    held.pictures.add(evidence.store(deviceId, Subject.of(held.events, namedAsFace(headers)), bytes)
        .toCompletableFuture());
  }

  /** A picture part not read whole: refused at its start (counted then) or larger than it may be. */
  void pictureSkipped(MultipartParser.Skip reason) {
    if (reserved > 0) {
      unreserve();
      counters.increment("pictures_dropped", deviceId, reason == MultipartParser.Skip.OVERSIZED ? "too_large" : "malformed");
    }
  }

  /** Events on their way that the stream's in-flight bound must count: the held one and those waiting. */
  int pending() {
    return waiting + (held == null ? 0 : 1);
  }

  /** Hands the held event on now (a heartbeat, a non-picture part, its time limit). */
  void release() {
    Held h = held;
    if (h == null) {
      return;
    }
    held = null;
    if (h.timer >= 0) {
      timers.cancel(h.timer);
    }
    handOver(h);
  }

  /** The stream ended: a picture cut short is given up, the held event goes on. */
  void streamEnded() {
    unreserve();
    release();
  }

  private void unreserve() {
    if (reserved > 0) {
      buffered.addAndGet(-reserved);
      reserved = 0;
    }
  }

  private void handOver(Held h) {
    CompletableFuture<Void> stored = CompletableFuture.allOf(h.pictures.toArray(CompletableFuture[]::new));
    if (handed.isDone() && stored.isDone()) {
      handed = DONE;
      out.hand(h.bytes, h.decoding());
    } else {
      waiting++;
      handed = handed.thenCombine(stored, (a, b) -> (Void) null).thenRunAsync(() -> {
        waiting--;
        out.hand(h.bytes, h.decoding());
      }, onContext);
    }
  }

  /** True when the device names the part as a face picture ({@code faceImage}, {@code FacePicture.jpg}, …). */
  private static boolean namedAsFace(Map<String, String> headers) {
    return headers.getOrDefault("content-disposition", "").toLowerCase(Locale.ROOT).contains("face")
        || headers.getOrDefault("content-id", "").toLowerCase(Locale.ROOT).contains("face");
  }
}
