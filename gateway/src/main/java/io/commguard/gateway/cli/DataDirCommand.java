package io.commguard.gateway.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A command that works on the data directory directly (users, audit): exit 2 with the problem in
 * words when the directory cannot be used, else the command's own work.
 */
abstract class DataDirCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Override
  public final Integer call() throws Exception {
    Path dir;
    try {
      dir = dataDir.resolve();
    } catch (IllegalStateException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    return run(dir);
  }

  abstract int run(Path dir) throws Exception;
}
