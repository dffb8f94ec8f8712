package io.commguard.gateway.source.httppush;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open sockets and requests in progress (being read, checked or committed), in total and per
 * device, shared by every event loop of the listener. The per-device map holds only devices with
 * a request in progress, so it is bounded by the total.
 */
final class PushLimits {
  private final HttpPushConfig config;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perDevice = new ConcurrentHashMap<>();

  PushLimits(HttpPushConfig config) {
    this.config = config;
  }

  /** Takes a socket slot; false when the listener already holds {@code maxConnections}. */
  boolean openConnection() {
    if (connections.incrementAndGet() > config.maxConnections()) {
      connections.decrementAndGet();
      return false;
    }
    return true;
  }

  void closeConnection() {
    connections.decrementAndGet();
  }

  /** Takes a request slot for {@code deviceId}; null when admitted, else the refusal's reason. */
  String admit(String deviceId) {
    if (requests.incrementAndGet() > config.maxRequests()) {
      requests.decrementAndGet();
      return "busy";
    }
    boolean[] admitted = {false};
    perDevice.compute(deviceId, (id, n) -> {
      int now = n == null ? 0 : n;
      if (now >= config.maxRequestsPerDevice()) {
        return n;
      }
      admitted[0] = true;
      return now + 1;
    });
    if (!admitted[0]) {
      requests.decrementAndGet();
      return "device_busy";
    }
    return null;
  }

  /** Gives back a slot {@link #admit} gave. */
  void release(String deviceId) {
    perDevice.computeIfPresent(deviceId, (id, n) -> n <= 1 ? null : n - 1);
    requests.decrementAndGet();
  }

  int requestsInProgress() {
    return requests.get();
  }
}
