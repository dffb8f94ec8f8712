package io.commguard.gateway.cli;

import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.security.PrivateFiles;
import io.commguard.gateway.validation.InvalidInputException;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where the commands that work on a data directory directly (users, audit) find it: from the
 * config's {@code dataDir}, or given. They work whether the gateway runs or not.
 */
final class DataDirOption {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Where where;

  static final class Where {
    @Option(names = {"-c", "--config"}, description = "Gateway YAML config; its dataDir is used") Path config;
    @Option(names = "--data-dir", description = "The data directory itself") Path dataDir;
  }

  /**
   * The data directory, checked as the gateway checks it (owned by this user, writable by nobody
   * else): run these commands as the gateway's user, so that the files they make are the gateway's.
   *
   * @throws IllegalStateException naming the problem and its fix
   */
  Path resolve() {
    Path dir;
    try {
      dir = where.dataDir != null ? where.dataDir : Path.of(ConfigLoader.load(where.config).dataDir());
    } catch (InvalidInputException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    try {
      PrivateFiles.trustedDirectory(dir);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot use data directory " + dir + ": " + e.getMessage(), e);
    }
    return dir;
  }
}
