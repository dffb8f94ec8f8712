package io.commguard.gateway.cli;

import io.commguard.gateway.Gateway;
import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.config.InvalidInputException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the gateway until SIGTERM/SIGINT, then stops it cleanly. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway with a config file.")
final class RunCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, required = true, description = "Gateway YAML config (see docs/configuration.md)")
  Path config;

  @Override
  public Integer call() throws Exception {
    GatewayPlan plan;
    try {
      plan = GatewayPlan.load(config);
    } catch (InvalidInputException e) {
      System.err.println("Refusing to start: " + e.getMessage());
      return 2;
    }
    Gateway gateway = Gateway.start(plan, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }
}
