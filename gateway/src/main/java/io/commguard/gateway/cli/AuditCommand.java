package io.commguard.gateway.cli;

import io.commguard.gateway.audit.Audit;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The audit log of a data directory, read directly (the gateway may be running). */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Show or check the audit log of changes made through the admin API and the CLI.",
    subcommands = {AuditCommand.ListEntries.class, AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the newest entries, oldest first.")
  static final class ListEntries extends DataDirCommand {
    @Option(names = "--limit", defaultValue = "50", description = "How many entries (default: ${DEFAULT-VALUE})") int limit;
    @Option(names = "--json", description = "One JSON array instead of a table") boolean json;

    @Override
    int run(Path dir) throws Exception {
      List<Audit.Entry> entries = Audit.in(dir, Clock.systemUTC()).latest(Math.max(1, limit));
      if (json) {
        JsonArray out = new JsonArray();
        entries.forEach(e -> out.add(e.toJson()));
        System.out.println(out.encodePrettily());
        return 0;
      }
      System.out.printf("%-6s %-24s %-20s %-18s %s%n", "SEQ", "TIME", "ACTOR", "ACTION", "TARGET");
      for (Audit.Entry e : entries) {
        System.out.printf("%-6d %-24s %-20s %-18s %s%n", e.seq(), e.time(), e.actor(), e.action(), e.target());
      }
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check the hash chain: exit 0 when intact, 1 naming the first edited, inserted or deleted entry.")
  static final class Verify extends DataDirCommand {
    @Override
    int run(Path dir) throws Exception {
      Audit.Verdict v = Audit.in(dir, Clock.systemUTC()).verify();
      if (v.intact()) {
        System.out.println("Audit log intact: " + v.entries() + " entries.");
        return 0;
      }
      System.out.println("Audit log BROKEN after " + v.entries() + " good entries: " + v.problem());
      return 1;
    }
  }
}
