package io.commguard.gateway.cli;

import io.commguard.gateway.receiver.ReceiverCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code java -jar gateway.jar}. */
@Command(name = "gateway", mixinStandardHelpOptions = true, version = "CommGuard gateway 0.1.0",
    description = "Edge gateway for community safety devices: MQTT and Modbus in, protobuf alerts out.",
    subcommands = {
        RunCommand.class,
        DemoCommand.class,
        ConfigCommand.class,
        ProfilesCommand.class,
        HashPasswordCommand.class,
        KeysCommand.class,
        ReceiverCommand.class
    })
public final class GatewayCli implements Runnable {
  /** One line per record: local time with its UTC offset (+0800 on a box in China), level, logger, message. */
  private static final String LOG_FORMAT = "%1$tFT%1$tT.%1$tL%1$tz %4$-7s %3$s %5$s%6$s%n";

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
    }
    System.exit(new CommandLine(new GatewayCli()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
