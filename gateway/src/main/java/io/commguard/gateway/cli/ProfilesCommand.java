package io.commguard.gateway.cli;

import io.commguard.gateway.config.Problem;
import io.commguard.gateway.profile.ProfileLoader;
import io.commguard.gateway.ProfileSections;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "profiles", mixinStandardHelpOptions = true, description = "Work with device profiles.",
    subcommands = ProfilesCommand.Validate.class)
final class ProfilesCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Validate every profile.yaml under DIR; prints file: path: reason per problem. Exit 0 when all are valid, 2 otherwise.")
  static final class Validate implements Callable<Integer> {
    @Parameters(index = "0", description = "Profiles directory, e.g. device-profiles")
    Path dir;

    @Override
    public Integer call() {
      List<Problem> problems = ProfileLoader.validateDirectory(dir, ProfileSections.all());
      if (problems.isEmpty()) {
        int count = new ProfileLoader(ProfileSections.all()).loadDirectory(dir).size();
        System.out.println(dir + ": " + count + " profiles valid");
        return 0;
      }
      problems.forEach(System.err::println);
      System.err.println(problems.size() + " problem(s)");
      return 2;
    }
  }
}
