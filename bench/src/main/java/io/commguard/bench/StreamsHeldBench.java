package io.commguard.bench;

import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.ProcStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code streams_held} scenario: one gateway, started through the shipped launcher, holds the
 * event streams of simulated cameras ({@link CameraFarm}: half Hikvision alertStream, half Dahua
 * attach, digest at connect, a keep-alive every 5 s, now and then an event). Measured once every
 * stream is open: the gateway's CPU over the window (percent of one core), its peak RSS, the events
 * the cameras sent and the alerts that reached the city, and the reconnects (streams opened beyond
 * the first per camera: a held stream should never drop).
 */
final class StreamsHeldBench {
  private static final int HEARTBEAT_SECONDS = 5;

  private final Path work;
  private final EdgeJvm edge;
  private final Path profiles;
  private final List<String> jvm;

  StreamsHeldBench(Path work, EdgeJvm edge, Path profiles, List<String> jvm) {
    this.work = work;
    this.edge = edge;
    this.profiles = profiles;
    this.jvm = jvm;
  }

  Map<String, Object> run(int cameras, double eventEverySeconds, int seconds) throws Exception {
    Path dir = Scenarios.freshDir(work.resolve("streams-held"));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("cameras", cameras);
    r.put("heartbeat_seconds", HEARTBEAT_SECONDS);
    r.put("event_every_seconds_per_camera", eventEverySeconds);
    Path password = Files.writeString(dir.resolve("camera.password"), CameraFarm.PASSWORD + "\n");
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
    try (MosquittoBroker city = MosquittoBroker.start(Files.createDirectories(dir.resolve("city-broker")));
        CitySubscriber subscriber = new CitySubscriber(CitySubscriber.Mode.CITY, "city/+/alerts", 1, new Latencies(),
            id -> { }, n -> { });
        CameraFarm farm = new CameraFarm(cameras, HEARTBEAT_SECONDS, eventEverySeconds)) {
      subscriber.start(city.port());
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(config, yaml(dir.resolve("data"), city.port(), farm.devicesYaml(password.toString())));
      try (GatewayProcess gateway = edge.start(config, jvm)) {
        gateway.awaitReady(Duration.ofSeconds(60));
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofSeconds(120).toNanos();
        while (farm.open.get() < cameras && System.nanoTime() < deadline) {
          Pause.millis(50);
        }
        r.put("all_streams_open_ms", (System.nanoTime() - t0) / 1_000_000);
        r.put("streams_open_at_start", farm.open.get());
        long opened0 = farm.streamsOpened.get();
        long alerts0 = subscriber.alerts.get();
        long heartbeats0 = farm.heartbeatsSent.get();
        farm.events(true);
        double cpu0 = ProcStats.cpuSeconds(gateway.pid());
        long w0 = System.nanoTime();
        Pause.millis(seconds * 1000L);
        double cpu = ProcStats.cpuSeconds(gateway.pid()) - cpu0;
        double window = (System.nanoTime() - w0) / 1e9;
        farm.events(false);
        long sent = farm.eventsSent.get();
        // Alerts still on their way after the window are waited for: a Dahua stop clears 10 s later.
        long settle = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        while (subscriber.alerts.get() - alerts0 < sent && System.nanoTime() < settle) {
          Pause.millis(50);
        }
        r.put("gateway_cpu_percent_of_one_core", Scenarios.round(100 * cpu / window));
        r.put("peak_rss_mib", Scenarios.round(ProcStats.peakRssMib(gateway.pid())));
        r.put("rss_mib_at_end", Scenarios.round(ProcStats.rssMib(gateway.pid())));
        r.put("window_seconds", Scenarios.round(window));
        r.put("events_sent", sent);
        r.put("alerts_delivered", subscriber.alerts.get() - alerts0);
        r.put("heartbeats_sent", farm.heartbeatsSent.get() - heartbeats0);
        r.put("reconnects", farm.streamsOpened.get() - opened0);
        r.put("streams_open_at_end", farm.open.get());
      }
    }
    r.put("note", "cameras simulated on one event loop in the harness JVM; each camera's events alternate start and "
        + "stop of one alarm, so alerts (raised, cleared) are at most the events: a Dahua stop clears its alarm 10 s "
        + "later (the profile's clearAfter) and a start within those 10 s continues it; reconnects are streams opened "
        + "during the window");
    return r;
  }

  private String yaml(Path data, int cityPort, String devices) {
    return "gatewayId: " + GatewayConfigWriter.GATEWAY_ID + "\n"
        + "dataDir: '" + data + "'\n"
        + "profilesDir: '" + profiles + "'\n"
        + "eventStreams: {heartbeatSeconds: " + HEARTBEAT_SECONDS + "}\n"
        + "uplink: {brokerUrl: 'tcp://127.0.0.1:" + cityPort + "', ackMode: platform}\n"
        + "devices:\n" + devices;
  }
}
