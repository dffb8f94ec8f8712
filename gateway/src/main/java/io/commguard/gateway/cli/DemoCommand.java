package io.commguard.gateway.cli;

import io.commguard.gateway.Gateway;
import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.demo.DemoRun;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a real gateway on embedded defaults with simulated devices and an in-process city endpoint. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the gateway with simulated cameras, an access controller and gas detectors, and print every alert the city receives. Ctrl-C stops.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--profiles", description = "Directory of profiles that add to or replace the built-in ones (default: built-in only)")
  Path profiles;

  @Option(names = "--duration", defaultValue = "0", description = "Stop after this many seconds; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE})")
  int durationSeconds;

  @Override
  public Integer call() throws Exception {
    if (profiles != null && !Files.isDirectory(profiles)) {
      System.err.println("No profiles directory at " + profiles.toAbsolutePath());
      return 2;
    }
    Path dataDir = Files.createTempDirectory("commguard-demo-");
    try (DemoRun demo = DemoRun.prepare()) {
      String yaml = demo.configYaml(dataDir, profiles);
      GatewayConfig config = ConfigLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "<demo config>");
      try (Gateway gateway = Gateway.start(GatewayPlan.of(config, "<demo config>"), Clock.systemUTC())) {
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
          main.interrupt();
          awaitQuietly(cleanedUp);
        }, "demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        demo.runDevices(durationSeconds);
        System.out.println("Demo stopped. Gateway counters: " + gateway.counters().snapshot());
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C: the hook is already running and waits for the clean-up below
        }
      }
    } finally {
      deleteRecursively(dataDir);
      cleanedUp.countDown();
    }
    return 0;
  }

  private final CountDownLatch cleanedUp = new CountDownLatch(1);

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
