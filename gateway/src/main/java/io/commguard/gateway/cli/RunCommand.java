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
import java.util.concurrent.atomic.AtomicReference;
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
    AtomicReference<Gateway> running = new AtomicReference<>();
    StopSignals signals = StopSignals.install(signal -> reload(running.get()));
    long started = System.nanoTime();
    Gateway gateway;
    try {
      gateway = Gateway.start(plan, Clock.systemUTC(), config);
    } catch (StartRefusedException e) {
      System.err.println("Refusing to start: " + e.getMessage());
      return 2;
    }
    running.set(gateway);
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

  /** SIGHUP: re-read the config; a file with problems is refused with all of them and nothing changes. */
  private void reload(Gateway gateway) {
    if (gateway == null) {
      LOG.log(Level.WARNING, "SIGHUP during start-up ignored; send it again once the gateway is ready");
      return;
    }
    try {
      LOG.log(Level.INFO, "Reload applied file=" + config + " " + gateway.reload(config).summary());
    } catch (InvalidInputException e) {
      LOG.log(Level.ERROR, "Reload refused, the gateway keeps its running config: " + e.getMessage());
    } catch (Exception e) {
      LOG.log(Level.ERROR, "Reload failed, the gateway keeps its running config: " + e.getMessage());
    }
  }
}
