package io.commguard.gateway.source.modbus;

import com.digitalpetri.modbus.client.ModbusClient;
import com.digitalpetri.modbus.pdu.ModbusRequestPdu;
import com.digitalpetri.modbus.pdu.ModbusResponsePdu;
import com.digitalpetri.modbus.pdu.ReadCoilsRequest;
import com.digitalpetri.modbus.pdu.ReadCoilsResponse;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsRequest;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsResponse;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersResponse;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersResponse;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.source.modbus.map.ReadRequest;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Polls every device of one link. One timer per link (not per point): a priority queue of due
 * group polls and a FIFO of pending reads, drained while the link's request budget allows (one
 * request in flight plus an inter-frame gap on serial framing). Requests go out through the
 * library's asynchronous API; nothing here ever blocks, so a dead device only costs its own
 * timeout on its own link. All state is confined to the shared poller thread.
 *
 * <p>Requests made on demand (a technician's test read or link scan, {@link #request}) wait in a
 * second FIFO of at most {@value #MAX_ON_DEMAND} and take turns with the polls: while polls wait,
 * at most one on-demand request goes out between two of theirs, so a running poll is delayed by at
 * most one request's timeout. Overload policy: a request beyond the bound is refused at once.
 */
final class LinkPoller {
  private static final System.Logger LOG = System.getLogger(LinkPoller.class.getName());
  /** On-demand requests that may wait at once on one link. */
  static final int MAX_ON_DEMAND = 16;

  private final ModbusLinkConfig config;
  private final ModbusClient client;
  private final LinkIo io;
  private final PollerThread poller;
  private final List<DeviceSession> sessions;
  private final ModbusEvents events;
  private final Counters counters;
  private final RateLimitedLog rateLimited;

  private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.compare(a.atNanos, b.atNanos));
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final ArrayDeque<OnDemand> onDemand = new ArrayDeque<>();
  /** Whether the last request sent was made on demand: the next turn is the polls'. */
  private boolean lastWasOnDemand;
  private int inFlight;
  private long sendNotBeforeNanos;
  private boolean connecting;
  private boolean stopped;
  private ScheduledFuture<?> wakeup;
  private long wakeupAtNanos = Long.MAX_VALUE;

  LinkPoller(ModbusLinkConfig config, ModbusClient client, PollerThread poller,
      List<DeviceSession> sessions, ModbusEvents events, Counters counters, RateLimitedLog rateLimited) {
    this.config = config;
    this.client = client;
    this.io = config.transport() == ModbusLinkConfig.Transport.RTU ? LinkIo.dedicated(config.id(), config.timeoutMs()) : LinkIo.inline();
    this.poller = poller;
    this.sessions = new ArrayList<>(sessions);
    this.events = events;
    this.counters = counters;
    this.rateLimited = rateLimited;
  }

  String id() {
    return config.id();
  }

  /** The running session of a device on this link, or null; poller thread only. */
  DeviceSession session(String deviceId) {
    for (DeviceSession s : sessions) {
      if (s.id().equals(deviceId)) {
        return s;
      }
    }
    return null;
  }

  ModbusLinkConfig config() {
    return config;
  }

  /** Schedules the first polls, spread over each group's interval so devices do not poll in lockstep. */
  void start() {
    poller.execute(() -> {
      long now = System.nanoTime();
      for (int d = 0; d < sessions.size(); d++) {
        DeviceSession s = sessions.get(d);
        for (int g = 0; g < s.device.profile().groups().size(); g++) {
          long spread = s.intervalNanos(g) * d / Math.max(1, sessions.size());
          due.add(new Due(now + spread, s, g));
        }
      }
      pump();
    });
  }

  /** Starts polling a device added to the running link: its first poll is due at once. */
  void add(DeviceSession s) {
    poller.execute(() -> {
      if (stopped) {
        return;
      }
      sessions.add(s);
      long now = System.nanoTime();
      for (int g = 0; g < s.device.profile().groups().size(); g++) {
        due.add(new Due(now, s, g));
      }
      pump();
    });
  }

  /**
   * Stops polling one device; its queued reads are dropped and a read already on the wire is
   * ignored when it answers. The other devices' schedules are untouched.
   */
  void remove(String deviceId) {
    poller.execute(() -> {
      sessions.removeIf(s -> {
        if (!s.id().equals(deviceId)) {
          return false;
        }
        s.removed = true;
        due.removeIf(d -> d.session == s);
        queue.removeIf(q -> q.cycle.session == s);
        return true;
      });
    });
  }

  /** Stops polling; pending requests complete or time out inside the library and are ignored. */
  CompletableFuture<Void> stop() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    poller.execute(() -> {
      stopped = true;
      if (wakeup != null) {
        wakeup.cancel(false);
      }
      queue.clear();
      due.clear();
      failOnDemand(new LinkStoppedException("link " + config.id() + " stopped"));
      closePort().whenComplete((v, ex) -> {
        io.shutdown();
        done.complete(null);
      });
    });
    return done;
  }

  private void pump() {
    if (stopped) {
      return;
    }
    long now = System.nanoTime();
    try {
      planDue(now);
      dispatch(now);
    } catch (RuntimeException e) {
      // A bug must not silence the link for good: count it, say so, and keep the timer going.
      counters.increment("modbus_poller_errors", config.id(), e.getClass().getSimpleName());
      LOG.log(Level.ERROR, "Modbus poller error; link keeps polling link=" + config.id(), e);
    }
    scheduleWakeup(now);
  }

  private void planDue(long now) {
    while (!due.isEmpty() && due.peek().atNanos <= now) {
      Due d = due.poll();
      DeviceSession s = d.session;
      if (s.backoffUntilNanos > now) {
        due.add(new Due(s.backoffUntilNanos, s, d.group));
        continue;
      }
      long interval = s.intervalNanos(d.group);
      long next = d.atNanos + interval;
      // Late by a whole interval or more (a stalled machine): skip the missed rounds, never
      // catch up in a burst.
      due.add(new Due(next > now ? next : now + interval, s, d.group));
      if (s.cycleRunning[d.group]) {
        counters.increment("modbus_poll_overruns", s.id(), "previous_poll_running");
        continue;
      }
      startCycle(s, d.group, false);
    }
  }

  private void startCycle(DeviceSession s, int group, boolean front) {
    List<ReadRequest> plan = s.plan(group);
    Cycle c = new Cycle(s, group, plan);
    s.cycleRunning[group] = true;
    counters.increment("modbus_polls", s.id(), "started");
    List<Pending> reads = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      reads.add(new Pending(c, i));
    }
    if (front) {
      for (int i = reads.size() - 1; i >= 0; i--) {
        queue.addFirst(reads.get(i));
      }
    } else {
      queue.addAll(reads);
    }
  }

  private void dispatch(long now) {
    if (queue.isEmpty() && onDemand.isEmpty()) {
      return;
    }
    if (!client.isConnected()) {
      connect();
      return;
    }
    while ((!queue.isEmpty() || !onDemand.isEmpty()) && inFlight < config.maxConcurrentRequests() && now >= sendNotBeforeNanos) {
      if (onDemandsTurn(!queue.isEmpty(), !onDemand.isEmpty(), lastWasOnDemand)) {
        lastWasOnDemand = true;
        send(onDemand.poll());
        continue;
      }
      Pending p = queue.poll();
      if (!p.cycle.failed) {
        lastWasOnDemand = false;
        send(p);
      }
    }
  }

  /**
   * Whether the next request is an on-demand one: when no poll waits, or when the last request
   * sent was a poll's, so the two take turns and a poll waits for at most one on-demand request.
   */
  static boolean onDemandsTurn(boolean pollsWaiting, boolean onDemandWaiting, boolean lastWasOnDemand) {
    return onDemandWaiting && (!pollsWaiting || !lastWasOnDemand);
  }

  /**
   * Sends {@code request} to {@code unitId} in the on-demand turn described above. Any thread; the
   * answer completes on the poller thread, with the library's error (a timeout after the link's
   * {@code timeoutMs}) or {@link BusyException} when {@value #MAX_ON_DEMAND} are waiting already.
   */
  CompletableFuture<ModbusResponsePdu> request(int unitId, ModbusRequestPdu request) {
    CompletableFuture<ModbusResponsePdu> answer = new CompletableFuture<>();
    poller.execute(() -> {
      if (stopped) {
        answer.completeExceptionally(new LinkStoppedException("link " + config.id() + " stopped"));
      } else if (onDemand.size() >= MAX_ON_DEMAND) {
        answer.completeExceptionally(new BusyException("link " + config.id() + " has " + MAX_ON_DEMAND
            + " on-demand requests waiting; try again when they are done"));
      } else {
        onDemand.add(new OnDemand(unitId, request, answer));
        pump();
      }
    });
    return answer;
  }

  private void send(OnDemand r) {
    inFlight++;
    io.call(() -> client.sendAsync(r.unitId(), r.request())).whenCompleteAsync((pdu, ex) -> {
      inFlight--;
      if (config.interFrameDelayMs() > 0) {
        sendNotBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.interFrameDelayMs());
      }
      if (ex == null) {
        r.answer().complete(pdu);
      } else {
        if (ErrorReason.of(ex).equals(ErrorReason.PORT_BLOCKED)) {
          io.abandon();
          closePort();
        }
        r.answer().completeExceptionally(ex);
      }
      pump();
    }, poller);
  }

  private void failOnDemand(Throwable error) {
    for (OnDemand r : onDemand) {
      r.answer().completeExceptionally(error);
    }
    onDemand.clear();
  }

  private void connect() {
    if (connecting) {
      return;
    }
    connecting = true;
    io.call(client::connectAsync).whenCompleteAsync((v, ex) -> {
      connecting = false;
      if (stopped) {
        return;
      }
      if (ex != null) {
        String detail = ErrorReason.detail(ex);
        if (ErrorReason.of(ex).equals(ErrorReason.PORT_BLOCKED)) {
          io.abandon();
          closePort();
        }
        // Every device waiting on this link counts a failed poll and backs off; the link's line
        // speaks for them all (a bus of 200 detectors behind a dead converter is one line, not 200).
        List<Cycle> waiting = new ArrayList<>();
        for (Pending p : queue) {
          if (!waiting.contains(p.cycle)) {
            waiting.add(p.cycle);
          }
        }
        rateLimited.log(Level.WARNING, "connect/" + config.id(), "Modbus link connect failed link=" + config.id()
            + " transport=" + config.transport() + " devicesWaiting=" + waiting.size() + " detail=" + detail);
        int offline = 0;
        for (Cycle c : waiting) {
          counters.increment("modbus_errors", c.session.id(), ErrorReason.CONNECT_FAILED);
          offline += failCycle(c, ErrorReason.CONNECT_FAILED, detail, false) ? 1 : 0;
        }
        if (offline > 0) {
          LOG.log(Level.WARNING, "Modbus devices offline with their link link=" + config.id() + " devices=" + offline
              + " reason=" + ErrorReason.CONNECT_FAILED);
        }
        failOnDemand(new ErrorReason.ConnectFailedException(detail));
      }
      pump();
    }, poller);
  }

  private void send(Pending p) {
    inFlight++;
    ReadRequest r = p.request();
    DeviceSession s = p.cycle.session;
    counters.increment("modbus_requests", s.id(), r.table().name().toLowerCase(java.util.Locale.ROOT));
    ModbusRequestPdu request = pdu(r);
    io.call(() -> client.sendAsync(s.device.unitId(), request))
        .whenCompleteAsync((pdu, ex) -> onResponse(p, pdu, ex), poller);
  }

  private void onResponse(Pending p, ModbusResponsePdu pdu, Throwable ex) {
    inFlight--;
    if (config.interFrameDelayMs() > 0) {
      sendNotBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.interFrameDelayMs());
    }
    if (stopped || p.cycle.session.removed) {
      pump();
      return;
    }
    Cycle c = p.cycle;
    if (!c.failed) {
      byte[] data = null;
      if (ex == null) {
        data = payload(pdu, p.request());
        if (data == null) {
          ex = new ErrorReason.ShortResponseException("asked for " + p.request().quantity() + " at " + p.request().address());
        }
      }
      if (ex == null) {
        c.results[p.index] = data;
        if (--c.remaining == 0) {
          complete(c);
        }
      } else {
        onError(p, ex);
      }
    }
    pump();
  }

  private void onError(Pending p, Throwable ex) {
    Cycle c = p.cycle;
    DeviceSession s = c.session;
    String reason = ErrorReason.of(ex);
    String detail = ErrorReason.detail(ex);
    counters.increment("modbus_errors", s.id(), reason);
    ReadRequest r = p.request();
    if (reason.equals(ErrorReason.ILLEGAL_DATA_ADDRESS) && r.coversSeveralRanges()) {
      List<ReadRequest> parts = s.splitRequest(c.group, r);
      counters.increment("modbus_plan_fallbacks", s.id(), reason);
      LOG.log(Level.WARNING, "Modbus device refused a merged read; reading its points one by one from now on"
          + " device=" + s.id() + " table=" + r.table() + " address=" + r.address() + " quantity=" + r.quantity()
          + " requests=" + parts.size());
      c.failed = true;
      s.cycleRunning[c.group] = false;
      dropQueued(c);
      startCycle(s, c.group, true);
      return;
    }
    if (reason.equals(ErrorReason.PORT_BLOCKED)) {
      // The serial thread is stuck in a write (line or adapter gone): leave it, close the port
      // from aside and reopen it on a fresh thread at the next poll.
      LOG.log(Level.WARNING, "Modbus serial port stuck; reopening it link=" + config.id() + " port=" + config.serialPort());
      counters.increment("modbus_port_reopens", s.id(), reason);
      io.abandon();
      closePort();
    } else if (reason.equals(ErrorReason.CONNECTION) && config.transport() == ModbusLinkConfig.Transport.RTU) {
      // An unplugged USB adapter can leave the port "open"; close it so the next poll reopens it.
      closePort();
    }
    if (!reason.equals(ErrorReason.TIMEOUT) && p.attempts < config.retries()) {
      p.attempts++;
      counters.increment("modbus_retries", s.id(), reason);
      queue.addFirst(p);
      return;
    }
    failCycle(c, reason, detail, true);
  }

  /**
   * Returns true when the device went offline with this failure.
   *
   * @param deviceLines false when the caller logs for all the devices it fails at once (a link down)
   */
  private boolean failCycle(Cycle c, String reason, String detail, boolean deviceLines) {
    if (c.failed) {
      return false;
    }
    DeviceSession s = c.session;
    long now = System.nanoTime();
    c.failed = true;
    s.cycleRunning[c.group] = false;
    // A failing device gives the bus back at once: its other queued reads are dropped.
    for (Pending q : queue) {
      if (q.cycle.session == s && q.cycle != c && !q.cycle.failed) {
        q.cycle.failed = true;
        s.cycleRunning[q.cycle.group] = false;
      }
    }
    queue.removeIf(q -> q.cycle.session == s);
    counters.increment("modbus_polls", s.id(), "failed");
    boolean wentOffline = s.recordFailure(reason, now, config.offlineAfterFailures(),
        TimeUnit.MILLISECONDS.toNanos(config.maxBackoffMs()));
    if (deviceLines) {
      rateLimited.log(Level.WARNING, s.id() + "/" + reason, "Modbus poll failed device=" + s.id() + " link="
          + config.id() + " unitId=" + s.device.unitId() + " reason=" + reason + " failures=" + s.failures
          + " retryInMs=" + TimeUnit.NANOSECONDS.toMillis(s.backoffUntilNanos - now) + " detail=" + detail);
    }
    if (wentOffline) {
      if (deviceLines) {
        LOG.log(Level.WARNING, "Modbus device offline device=" + s.id() + " link=" + config.id()
            + " failures=" + s.failures + " reason=" + reason);
      }
      events.lost(s);
      events.emitOffline(s, Phase.ACTIVE, Instant.now());
    }
    return wentOffline;
  }

  /** Closes the connection or port without ever waiting on the poller thread. */
  private CompletableFuture<Void> closePort() {
    return CompletableFuture.runAsync(() -> client.disconnectAsync().toCompletableFuture().join(), CLOSER)
        .exceptionally(ex -> null);
  }

  /** Closing a stuck serial port can itself block; it happens on throwaway daemon threads. */
  private static final java.util.concurrent.Executor CLOSER = task -> {
    Thread t = new Thread(task, "modbus-close");
    t.setDaemon(true);
    t.start();
  };

  private void dropQueued(Cycle c) {
    queue.removeIf(q -> q.cycle == c);
  }

  private void complete(Cycle c) {
    DeviceSession s = c.session;
    s.cycleRunning[c.group] = false;
    counters.increment("modbus_polls", s.id(), "ok");
    s.store(c.group, c.requests, c.results);
    Instant now = Instant.now();
    events.answered(s, config.id());
    if (s.recordSuccess()) {
      LOG.log(Level.INFO, "Modbus device back online device=" + s.id() + " link=" + config.id());
      events.emitOffline(s, Phase.INACTIVE, now);
    }
    events.emit(s, s.events(now, System.nanoTime()));
  }

  private void scheduleWakeup(long now) {
    long next = due.isEmpty() ? Long.MAX_VALUE : due.peek().atNanos;
    if ((!queue.isEmpty() || !onDemand.isEmpty()) && inFlight < config.maxConcurrentRequests() && !connecting) {
      next = Math.min(next, sendNotBeforeNanos);
    }
    if (next == Long.MAX_VALUE) {
      return;
    }
    if (wakeup != null && !wakeup.isDone() && wakeupAtNanos <= next) {
      return;
    }
    if (wakeup != null) {
      wakeup.cancel(false);
    }
    wakeupAtNanos = next;
    wakeup = poller.schedule(this::wake, Math.max(0, next - now));
  }

  private void wake() {
    wakeup = null;
    wakeupAtNanos = Long.MAX_VALUE;
    pump();
  }

  static ModbusRequestPdu pdu(ReadRequest r) {
    return switch (r.table()) {
      case COIL -> new ReadCoilsRequest(r.address(), r.quantity());
      case DISCRETE_INPUT -> new ReadDiscreteInputsRequest(r.address(), r.quantity());
      case INPUT_REGISTER -> new ReadInputRegistersRequest(r.address(), r.quantity());
      case HOLDING_REGISTER -> new ReadHoldingRegistersRequest(r.address(), r.quantity());
    };
  }

  /** The response's data bytes, or null when it holds fewer registers or bits than asked for. */
  static byte[] payload(ModbusResponsePdu pdu, ReadRequest r) {
    byte[] data = null;
    if (pdu instanceof ReadHoldingRegistersResponse h) {
      data = h.registers();
    } else if (pdu instanceof ReadInputRegistersResponse i) {
      data = i.registers();
    } else if (pdu instanceof ReadCoilsResponse co) {
      data = co.coils();
    } else if (pdu instanceof ReadDiscreteInputsResponse di) {
      data = di.inputs();
    }
    if (data == null) {
      return null;
    }
    int needed = r.table().isBits() ? (r.quantity() + 7) / 8 : r.quantity() * 2;
    return data.length < needed ? null : data;
  }

  private record Due(long atNanos, DeviceSession session, int group) {}

  /** A request made on demand and where its answer goes. */
  private record OnDemand(int unitId, ModbusRequestPdu request, CompletableFuture<ModbusResponsePdu> answer) {}

  /** Too many on-demand requests wait on the link already. */
  static final class BusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BusyException(String message) {
      super(message, null, false, false);
    }
  }

  /** The link stopped (the source is closing) before the request went out. */
  static final class LinkStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LinkStoppedException(String message) {
      super(message, null, false, false);
    }
  }

  /** One poll of one group of one device: its reads and their results. */
  private static final class Cycle {
    final DeviceSession session;
    final int group;
    final List<ReadRequest> requests;
    final byte[][] results;
    int remaining;
    boolean failed;

    Cycle(DeviceSession session, int group, List<ReadRequest> requests) {
      this.session = session;
      this.group = group;
      this.requests = requests;
      this.results = new byte[requests.size()][];
      this.remaining = requests.size();
    }
  }

  private static final class Pending {
    final Cycle cycle;
    final int index;
    int attempts;

    Pending(Cycle cycle, int index) {
      this.cycle = cycle;
      this.index = index;
    }

    ReadRequest request() {
      return cycle.requests.get(index);
    }
  }
}
