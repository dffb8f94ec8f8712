package io.commguard.gateway.security;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded queue of slow checks served round-robin across source addresses by a few threads of
 * its own: a flood from one address waits behind itself, while a device on another address is
 * served after at most one check per waiting address. Overload policy: when {@code capacity} checks
 * wait, {@link #offer} refuses at once and the caller answers "server busy".
 */
final class RoundRobinVerifier implements AutoCloseable {
  private final int capacity;
  private final LinkedHashMap<String, ArrayDeque<Runnable>> waiting = new LinkedHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private int size;
  private boolean closed;

  RoundRobinVerifier(int threadCount, int capacity, String name) {
    this.capacity = capacity;
    for (int i = 1; i <= threadCount; i++) {
      Thread t = new Thread(this::work, name + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Queues a check for an address; false when the queue is full or closed. */
  synchronized boolean offer(String address, Runnable check) {
    if (closed || size >= capacity) {
      return false;
    }
    waiting.computeIfAbsent(address, a -> new ArrayDeque<>()).add(check);
    size++;
    notify();
    return true;
  }

  synchronized int size() {
    return size;
  }

  /** Addresses with checks waiting. */
  synchronized int addresses() {
    return waiting.size();
  }

  private synchronized Runnable next() throws InterruptedException {
    while (size == 0 && !closed) {
      wait();
    }
    if (closed) {
      return null;
    }
    Iterator<Map.Entry<String, ArrayDeque<Runnable>>> head = waiting.entrySet().iterator();
    Map.Entry<String, ArrayDeque<Runnable>> first = head.next();
    head.remove();
    Runnable check = first.getValue().poll();
    if (!first.getValue().isEmpty()) {
      waiting.put(first.getKey(), first.getValue()); // to the back of the line
    }
    size--;
    return check;
  }

  private void work() {
    try {
      for (Runnable check = next(); check != null; check = next()) {
        check.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    threads.forEach(Thread::interrupt);
  }
}
