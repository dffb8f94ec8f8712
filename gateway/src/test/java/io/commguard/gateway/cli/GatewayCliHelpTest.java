package io.commguard.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} is the first thing a newcomer reads: every command's line must be whole, at every level. */
class GatewayCliHelpTest {
  @Test
  void topLevelHelp_everyCommandDescriptionComplete() {
    assertEveryListedCommandComplete(new CommandLine(new GatewayCli()));
  }

  @Test
  void commandGroupHelp_everySubcommandDescriptionComplete() {
    CommandLine cli = new CommandLine(new GatewayCli());
    cli.getSubcommands().values().stream()
        .filter(group -> !group.getSubcommands().isEmpty())
        .forEach(GatewayCliHelpTest::assertEveryListedCommandComplete);
  }

  private static void assertEveryListedCommandComplete(CommandLine cli) {
    Map<String, String> listed = commandsSection(cli.getUsageMessage(CommandLine.Help.Ansi.OFF));

    assertThat(listed.keySet()).as(cli.getCommandName()).containsExactlyInAnyOrderElementsOf(cli.getSubcommands().keySet());
    cli.getSubcommands().forEach((name, sub) -> {
      String full = String.join(" ", sub.getCommandSpec().usageMessage().description()).replaceAll("\\s+", " ").trim();
      assertThat(full).as(name).isNotEmpty().endsWith(".");
      assertThat(listed.get(name)).as("'%s' in %s --help", name, cli.getCommandName()).isEqualTo(full);
    });
  }

  /** Command name → its description with the help's line wrapping undone. */
  private static Map<String, String> commandsSection(String usage) {
    Map<String, String> byName = new LinkedHashMap<>();
    String current = null;
    boolean inCommands = false;
    for (String line : usage.split("\n")) {
      if (line.equals("Commands:")) {
        inCommands = true;
      } else if (inCommands && line.matches("  \\S.*")) {
        String[] nameAndText = line.trim().split("\\s+", 2);
        current = nameAndText[0];
        byName.put(current, nameAndText.length > 1 ? nameAndText[1] : "");
      } else if (inCommands && current != null && line.startsWith("   ")) {
        byName.merge(current, line.trim(), (a, b) -> a + " " + b);
      } else if (inCommands) {
        current = null;
        inCommands = false;
      }
    }
    return byName;
  }
}
