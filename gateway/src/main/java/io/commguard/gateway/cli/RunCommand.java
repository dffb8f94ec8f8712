package io.commguard.gateway.cli;

import io.commguard.gateway.Gateway;
import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.StartRefusedException;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.validation.InvalidInputException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the gateway until SIGTERM/SIGINT, then stops it cleanly and exits 0. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway with a config file.")
final class RunCommand implements Callable<Integer> {
  private static final System.Logger LOG = System.getLogger(RunCommand.class.getName());
  /** Below systemd's default TimeoutStopSec (90 s), so a stuck stop is ours to report, not a SIGKILL. */
  private static final long STOP_BOUND_S = 30;

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
    LogSetup.apply(plan.config().log());
    StopSignals signals = StopSignals.install(signal -> LOG.log(Level.WARNING,
        "SIGHUP received: live reload is not available in this version; the gateway keeps running on its current config"));
    long started = System.nanoTime();
    Gateway gateway;
    try {
      gateway = Gateway.start(plan, Clock.systemUTC());
    } catch (StartRefusedException e) {
      System.err.println("Refusing to start: " + e.getMessage());
      return 2;
    }
    String signal = signals.awaitStop();
    Counters counters = gateway.counters();
    try {
      CompletableFuture.runAsync(gateway::close).get(STOP_BOUND_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      LOG.log(Level.ERROR, "Gateway did not stop within " + STOP_BOUND_S + " s after SIG" + signal
          + "; exiting anyway (committed alerts stay in the outbox and are sent after the next start)");
      return 1;
    }
    LOG.log(Level.INFO, "Gateway stopped signal=SIG" + signal
        + " uptime_s=" + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)
        + " received=" + counters.total("received")
        + " outbox_appended=" + counters.total("outbox_appended")
        + " outbox_delivered=" + counters.total("outbox_delivered")
        + " rejected=" + counters.total("rejected"));
    return 0;
  }
}
