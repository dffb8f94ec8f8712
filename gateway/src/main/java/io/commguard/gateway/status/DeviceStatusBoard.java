package io.commguard.gateway.status;

import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.Measurement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The live status of every registered device, and the live feed of decoded events.
 *
 * <p>Memory is one small entry per registered device: {@link #track} replaces the set from the
 * registry, and every report about an id it does not hold is ignored, so a peer inventing ids
 * costs nothing here. Reports come from event loops, the Modbus poller and the rule stage (under
 * the pipeline lock); each is a few volatile stores, so none of them waits on anything. What a
 * restart must not lose (last seen, last event, last rejection, peer, firmware) is saved by a
 * {@link SqliteStatusStore} on its own thread, which {@link #restore restores} it at start: a
 * device heard before the restart reads {@link Connection#OFFLINE} with its last contact until it
 * is heard again. Counters and sessions start from zero.
 *
 * <p>Live feed: at most {@value #MAX_SUBSCRIBERS} subscribers; a subscriber is called on the
 * reporting thread and must only hand the event on (it drops what it cannot keep up with).
 */
public final class DeviceStatusBoard {
  /** A board that tracks nothing: for sources and tests run without one. */
  public static final DeviceStatusBoard NONE = new DeviceStatusBoard(Clock.systemUTC());
  public static final int MAX_SUBSCRIBERS = 32;

  /** How one registered device is watched. */
  public record Tracked(String id, Duration silenceLimit, boolean commissioning) {}

  /** What of a device's status outlives a restart; missing values are null. */
  record Saved(Instant lastSeen, String lastEventType, Instant lastEventTime, String lastRejectionReason,
      Instant lastRejectionTime, String peer, String firmware) {}

  private final Clock clock;
  private volatile Map<String, Entry> entries = Map.of();
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  public DeviceStatusBoard(Clock clock) {
    this.clock = clock;
  }

  /**
   * Makes {@code devices} the tracked set: kept ids keep their status, new ids start as never
   * heard, others are forgotten. Called at start and after each registry change.
   */
  public synchronized void track(Collection<Tracked> devices) {
    Map<String, Entry> before = entries;
    Map<String, Entry> next = new HashMap<>(devices.size() * 2);
    for (Tracked t : devices) {
      Entry e = before.get(t.id());
      if (e == null) {
        e = new Entry();
      }
      e.silenceLimit = t.silenceLimit();
      e.commissioning = t.commissioning();
      next.put(t.id(), e);
    }
    entries = next;
  }

  /** The tracked entries by id (an immutable map replaced by {@link #track}). */
  Map<String, Entry> entries() {
    return entries;
  }

  /**
   * Gives a tracked device what was saved of it before a restart (an untracked id is ignored). It
   * reads offline, last seen then, until it is heard again.
   *
   * @return false when {@code deviceId} is not tracked
   */
  boolean restore(String deviceId, Saved saved) {
    Entry e = entries.get(deviceId);
    if (e == null) {
      return false;
    }
    e.lastSeen = saved.lastSeen();
    e.lastLost = saved.lastSeen();
    e.peer = saved.peer();
    e.firmware = saved.firmware();
    e.lastEvent = saved.lastEventType() == null ? null : new LastEvent(saved.lastEventType(), saved.lastEventTime());
    e.lastRejection = saved.lastRejectionReason() == null ? null
        : new Rejection(saved.lastRejectionReason(), saved.lastRejectionTime());
    return true;
  }

  /** True when {@code deviceId} is tracked and commissioning. */
  public boolean commissioning(String deviceId) {
    Entry e = entries.get(deviceId);
    return e != null && e.commissioning;
  }

  /** A message or poll result from the device was handed in. */
  public void received(String deviceId) {
    Entry e = entries.get(deviceId);
    if (e != null) {
      e.received.increment();
      e.lastSeen = clock.instant();
      e.changed = true;
    }
  }

  /** The device answered (a poll) without a message to count: it is alive. */
  public void heard(String deviceId, String peer) {
    Entry e = entries.get(deviceId);
    if (e != null) {
      e.lastSeen = clock.instant();
      e.peer = peer;
      e.changed = true;
    }
  }

  /** Something from the device was refused: a payload, a publish, a login. */
  public void rejected(String deviceId, String reason) {
    Entry e = entries.get(deviceId);
    if (e != null) {
      e.rejected.increment();
      e.lastRejection = new Rejection(reason, clock.instant());
      e.changed = true;
    }
  }

  public void held(String deviceId) {
    Entry e = entries.get(deviceId);
    if (e != null) {
      e.held.increment();
    }
  }

  public void dropped(String deviceId) {
    Entry e = entries.get(deviceId);
    if (e != null) {
      e.dropped.increment();
    }
  }

  /** A session of the device opened from {@code peer}. */
  public void connected(String deviceId, String peer) {
    Entry e = entries.get(deviceId);
    if (e != null) {
      e.peer = peer;
      e.sessions.incrementAndGet();
      e.lastSeen = clock.instant();
      e.changed = true;
    }
  }

  /** A session of the device closed, or its source lost it (no answer to polls). */
  public void disconnected(String deviceId, boolean hadSession) {
    Entry e = entries.get(deviceId);
    if (e != null) {
      if (hadSession) {
        e.sessions.updateAndGet(n -> Math.max(0, n - 1));
      }
      e.lastLost = clock.instant();
    }
  }

  /** The rule stage's outcome of one decoded event; fans it out to the live feed. */
  public void event(DeviceEvent event, Outcome outcome) {
    Entry e = entries.get(event.deviceId());
    if (e == null) {
      return;
    }
    e.lastEvent = new LastEvent(event.type().name(), event.deviceTime());
    String firmware = event.attributes().get("firmware");
    if (firmware != null) {
      e.firmware = firmware;
    }
    e.changed = true;
    if (subscribers.isEmpty()) {
      return;
    }
    LiveEvent live = null;
    for (Subscriber s : subscribers) {
      if (s.deviceId == null || s.deviceId.equals(event.deviceId())) {
        if (live == null) {
          live = live(event, outcome, e.commissioning);
        }
        s.consumer.accept(live);
      }
    }
  }

  private static LiveEvent live(DeviceEvent event, Outcome outcome, boolean test) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (Measurement m : event.measurements()) {
      fields.put(m.name(), m.unit() == null || m.unit().isEmpty() ? String.valueOf(m.value()) : m.value() + " " + m.unit());
    }
    fields.putAll(event.attributes());
    return new LiveEvent(event.deviceId(), event.type().name(), event.deviceTime(), event.description(), fields, outcome,
        test);
  }

  /**
   * Calls {@code consumer} with each decoded event of {@code deviceId} (null: every device) until
   * the returned handle is closed.
   *
   * @throws IllegalStateException when {@value #MAX_SUBSCRIBERS} subscribers are already listening
   */
  public synchronized AutoCloseable subscribe(String deviceId, Consumer<LiveEvent> consumer) {
    if (subscribers.size() >= MAX_SUBSCRIBERS) {
      throw new IllegalStateException("too many live event listeners (" + MAX_SUBSCRIBERS + ")");
    }
    Subscriber s = new Subscriber(deviceId, consumer);
    subscribers.add(s);
    return () -> subscribers.remove(s);
  }

  /** The status of {@code deviceId} now, or null when it is not tracked. */
  public DeviceStatus status(String deviceId) {
    Entry e = entries.get(deviceId);
    return e == null ? null : e.snapshot(clock.instant());
  }

  private record Subscriber(String deviceId, Consumer<LiveEvent> consumer) {}

  private record Rejection(String reason, Instant time) {}

  private record LastEvent(String type, Instant time) {}

  /** One device's live state; fields written from several threads, each on its own (last writer wins). */
  static final class Entry {
    /** Set by every report that changes what is {@link Saved}; cleared by the store before it reads the entry. */
    volatile boolean changed;
    volatile Duration silenceLimit;
    volatile boolean commissioning;
    volatile Instant lastSeen;
    volatile Instant lastLost;
    final AtomicInteger sessions = new AtomicInteger();
    volatile String peer;
    volatile String firmware;
    volatile LastEvent lastEvent;
    volatile Rejection lastRejection;
    final LongAdder received = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder held = new LongAdder();
    final LongAdder dropped = new LongAdder();

    /** What of this entry outlives a restart. */
    Saved saved() {
      Rejection rejection = lastRejection;
      LastEvent last = lastEvent;
      return new Saved(lastSeen, last == null ? null : last.type(), last == null ? null : last.time(),
          rejection == null ? null : rejection.reason(), rejection == null ? null : rejection.time(), peer, firmware);
    }

    DeviceStatus snapshot(Instant now) {
      Instant seen = lastSeen;
      Instant lost = lastLost;
      Rejection rejection = lastRejection;
      LastEvent last = lastEvent;
      Connection connection;
      if (sessions.get() > 0) {
        connection = Connection.ONLINE;
      } else if (seen == null) {
        connection = Connection.NEVER;
      } else if (lost != null && !lost.isBefore(seen)) {
        connection = Connection.OFFLINE;
      } else {
        Duration limit = silenceLimit;
        connection = limit != null && now.isAfter(seen.plus(limit)) ? Connection.OFFLINE : Connection.ONLINE;
      }
      boolean rejecting = rejection != null && (seen == null || !rejection.time().isBefore(seen));
      return new DeviceStatus(connection, seen, last == null ? null : last.type(), last == null ? null : last.time(),
          rejection == null ? null : rejection.reason(), rejection == null ? null : rejection.time(), peer, firmware,
          received.sum(), rejected.sum(), held.sum(), dropped.sum(), rejecting, commissioning);
    }
  }
}
