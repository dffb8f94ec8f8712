package io.commguard.gateway.cli;

import io.commguard.gateway.ProfileSections;
import io.commguard.gateway.profile.DeviceProfile;
import io.commguard.gateway.profile.ProfileCatalog;
import io.commguard.gateway.profile.ProfileLoader;
import io.commguard.gateway.validation.InvalidInputException;
import io.commguard.gateway.validation.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "profiles", mixinStandardHelpOptions = true, description = "Work with device profiles.",
    subcommands = {ProfilesCommand.ListProfiles.class, ProfilesCommand.Validate.class})
final class ProfilesCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Print the profiles the gateway knows (built in, and from --dir) with their source and event types. Exit 0, or 2 when a profile is invalid.")
  static final class ListProfiles implements Callable<Integer> {
    @Option(names = "--dir", description = "Profiles directory that adds to or replaces the built-in profiles, as profilesDir in the config")
    Path dir;

    @Override
    public Integer call() {
      ProfileCatalog catalog;
      try {
        catalog = ProfileCatalog.load(ProfileSections.loader(), dir);
      } catch (InvalidInputException e) {
        e.problems().forEach(System.err::println);
        return 2;
      }
      String row = "%-32s %-8s %-24s %s%n";
      System.out.printf(row, "ID", "PROTOCOL", "SOURCE", "EVENT TYPES");
      for (DeviceProfile p : catalog.profiles().values()) {
        String source = p.builtIn() ? "built-in"
            : catalog.overridden().contains(p.id()) ? "dir (replaces built-in)" : "dir";
        String types = p.eventTypes().stream().map(Enum::name).collect(Collectors.joining(", "));
        System.out.printf(row, p.id(), ProfileLoader.shown(p.protocol()), source, types.isEmpty() ? "-" : types);
      }
      return 0;
    }
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Validate every profile.yaml under DIR; prints file: path: reason per problem. Exit 0 when all are valid, 2 otherwise.")
  static final class Validate implements Callable<Integer> {
    @Parameters(index = "0", description = "Profiles directory, e.g. device-profiles")
    Path dir;

    @Override
    public Integer call() {
      List<Problem> problems = ProfileSections.loader().validateDirectory(dir);
      if (problems.isEmpty()) {
        int count = ProfileSections.loader().loadDirectory(dir).size();
        System.out.println(dir + ": " + count + " profiles valid");
        return 0;
      }
      problems.forEach(System.err::println);
      System.err.println(problems.size() + " problem(s)");
      return 2;
    }
  }
}
