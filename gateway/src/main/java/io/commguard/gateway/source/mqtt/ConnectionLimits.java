package io.commguard.gateway.source.mqtt;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open device sockets, in total and per IP address, shared by every event loop of the endpoint.
 * The per-address map holds only addresses with an open socket, so it is bounded by the total.
 */
public final class ConnectionLimits {
  private final int maxTotal;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

  public ConnectionLimits(int maxTotal, int maxPerAddress) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  /** Takes a slot for a new socket; null when admitted, else the reason it is refused. */
  String admit(String address) {
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      return "too_many_connections";
    }
    boolean[] admitted = {false};
    perAddress.compute(address, (a, n) -> {
      int now = n == null ? 0 : n;
      if (now >= maxPerAddress) {
        return n;
      }
      admitted[0] = true;
      return now + 1;
    });
    if (!admitted[0]) {
      total.decrementAndGet();
      return "too_many_from_address";
    }
    return null;
  }

  /** Gives back the slot of a socket that {@link #admit} admitted, once it has closed. */
  void release(String address) {
    perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    total.decrementAndGet();
  }

  public int open() {
    return total.get();
  }

  public int addresses() {
    return perAddress.size();
  }
}
