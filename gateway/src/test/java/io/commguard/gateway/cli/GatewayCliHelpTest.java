package io.commguard.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The top-level {@code --help} is the first thing a newcomer reads: every command's line must be whole. */
class GatewayCliHelpTest {
  @Test
  void topLevelHelp_everyCommandDescriptionComplete() {
    CommandLine cli = new CommandLine(new GatewayCli());
    Map<String, String> listed = commandsSection(cli.getUsageMessage(CommandLine.Help.Ansi.OFF));

    assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(cli.getSubcommands().keySet());
    cli.getSubcommands().forEach((name, sub) -> {
      String full = String.join(" ", sub.getCommandSpec().usageMessage().description()).replaceAll("\\s+", " ").trim();
      assertThat(full).as(name).isNotEmpty().endsWith(".");
      assertThat(listed.get(name)).as("'%s' in --help", name).isEqualTo(full);
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
