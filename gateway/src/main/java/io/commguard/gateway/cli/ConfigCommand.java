package io.commguard.gateway.cli;

import io.commguard.gateway.GatewayPlan;
import io.commguard.gateway.validation.InvalidInputException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Check configuration.",
    subcommands = ConfigCommand.Validate.class)
final class ConfigCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Validate a config file and the profiles it uses, without starting anything. Exit 0 when valid, 2 otherwise.")
  static final class Validate implements Callable<Integer> {
    @Parameters(index = "0", description = "Gateway YAML config")
    Path file;

    @Override
    public Integer call() {
      try {
        GatewayPlan plan = GatewayPlan.load(file);
        System.out.println(file + ": valid (" + plan.config().devices().size() + " devices, "
            + plan.profiles().size() + " profiles)");
        return 0;
      } catch (InvalidInputException e) {
        e.problems().forEach(p -> System.err.println(p));
        return 2;
      }
    }
  }
}
