package io.commguard.gateway.cli;

import io.commguard.gateway.Gateway;
import io.commguard.gateway.receiver.ReceiverCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code java -jar gateway.jar}. */
@Command(name = "gateway", mixinStandardHelpOptions = true, version = "CommGuard gateway " + Gateway.VERSION,
    description = "Edge gateway for community safety devices: MQTT and Modbus in, protobuf alerts out.",
    subcommands = {
        RunCommand.class,
        DemoCommand.class,
        ConfigCommand.class,
        ProfilesCommand.class,
        DevicesCommand.class,
        HashPasswordCommand.class,
        KeysCommand.class,
        UsersCommand.class,
        AuditCommand.class,
        ReceiverCommand.class
    })
public final class GatewayCli implements Runnable {
  public static void main(String[] args) {
    LogSetup.bridgeJavaUtilLogging();
    System.exit(new CommandLine(new GatewayCli()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
