package io.commguard.gateway.fault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Simulated gas detectors connected to the gateway's embedded endpoint, one thread each. Every
 * message carries a unique token (as the {@code sensor} episode and the {@code fw} attribute, so the
 * resulting alert names it). A device publishes at QoS 1 and, like real firmware, retransmits the
 * same message until the gateway acknowledges it; a token counts as <em>produced</em> only once
 * acknowledged. Every {@code telemetryEvery}-th message (0 = none) is a reading instead of an alarm.
 */
final class DeviceFleet implements AutoCloseable {
  private final String endpointUrl;
  private final List<String> deviceIds;
  private final String password;
  private final long periodMs;
  private final int telemetryEvery;
  private final List<Thread> threads = new ArrayList<>();
  private final Set<String> ackedAlarms = ConcurrentHashMap.newKeySet();
  private final AtomicLong ackedReadings = new AtomicLong();
  private final AtomicLong retransmissions = new AtomicLong();
  private volatile boolean running;

  DeviceFleet(String endpointUrl, List<String> deviceIds, String password, int messagesPerSecondPerDevice,
      int telemetryEvery) {
    this.endpointUrl = endpointUrl;
    this.deviceIds = deviceIds;
    this.password = password;
    this.periodMs = 1000L / messagesPerSecondPerDevice;
    this.telemetryEvery = telemetryEvery;
  }

  void start() {
    running = true;
    for (String id : deviceIds) {
      Thread t = new Thread(() -> runDevice(id), "device-" + id);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  /** Stops publishing; a message not yet acknowledged is abandoned and not counted as produced. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(15_000);
    }
  }

  Set<String> ackedAlarms() {
    return Set.copyOf(ackedAlarms);
  }

  long ackedReadings() {
    return ackedReadings.get();
  }

  long retransmissions() {
    return retransmissions.get();
  }

  private void runDevice(String id) {
    MqttClient client = null;
    long n = 0;
    while (running) {
      n++;
      boolean reading = telemetryEvery > 0 && n % telemetryEvery == 0;
      String token = id + "-" + n;
      byte[] payload = (reading
          ? "{\"status\":\"reading\",\"ts\":" + System.currentTimeMillis() + ",\"gas\":{\"type\":\"CH4\",\"concentration\":"
              + (n % 2 == 0 ? 3.0 : 80.0) + "},\"fw\":\"" + token + "\"}"
          : "{\"status\":\"high\",\"ts\":" + System.currentTimeMillis() + ",\"sensor\":\"" + token
              + "\",\"gas\":{\"type\":\"CH4\",\"concentration\":55.0},\"battery\":80,\"fw\":\"" + token + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      boolean acked = false;
      while (running && !acked) {
        try {
          if (client == null || !client.isConnected()) {
            client = connect(id);
          }
          client.publish("devices/" + id + "/report", payload, 1, false);
          acked = true;
        } catch (MqttException e) {
          retransmissions.incrementAndGet();
          client = closeQuietly(client);
          pause(200);
        }
      }
      if (acked) {
        if (reading) {
          ackedReadings.incrementAndGet();
        } else {
          ackedAlarms.add(token);
        }
      }
      pause(periodMs);
    }
    closeQuietly(client);
  }

  private MqttClient connect(String id) throws MqttException {
    MqttClient c = new MqttClient(endpointUrl, id, new MemoryPersistence());
    c.setTimeToWait(5_000);
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setUserName(id);
    o.setPassword(password.getBytes(StandardCharsets.UTF_8));
    o.setCleanStart(true);
    o.setConnectionTimeout(5);
    o.setAutomaticReconnect(false);
    try {
      c.connect(o);
      return c;
    } catch (MqttException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private static MqttClient closeQuietly(MqttClient c) {
    if (c != null) {
      try {
        if (c.isConnected()) {
          c.disconnectForcibly(100, 100, false);
        }
        c.close(true);
      } catch (MqttException ignored) {
        // A broken connection to a killed gateway; nothing more to release.
      }
    }
    return null;
  }

  /** Pacing of the simulated devices (load shape), not test synchronisation. */
  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
