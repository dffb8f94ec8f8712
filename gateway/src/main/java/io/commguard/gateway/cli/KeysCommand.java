package io.commguard.gateway.cli;

import io.commguard.gateway.config.ConfigLoader;
import io.commguard.gateway.privacy.HashKey;
import io.commguard.gateway.validation.InvalidInputException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Key management of a gateway's data directory. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage the gateway's personal-data hash key.",
    subcommands = KeysCommand.Rotate.class)
final class KeysCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** Replaces the hash key; the gateway uses the new one from its next start. */
  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "Replace the hash key in the data directory by a new random key (the old one is overwritten). "
          + "Restart the gateway to use it; alerts carry the key id in hash_key_id.")
  static final class Rotate implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Where where;

    static final class Where {
      @Option(names = {"-c", "--config"}, description = "Gateway YAML config; its dataDir is used") Path config;
      @Option(names = "--data-dir", description = "The data directory itself") Path dataDir;
    }

    @Override
    public Integer call() throws Exception {
      Path dir;
      try {
        dir = where.dataDir != null ? where.dataDir : Path.of(ConfigLoader.load(where.config).dataDir());
      } catch (InvalidInputException e) {
        System.err.println("Cannot rotate: " + e.getMessage());
        return 2;
      }
      HashKey.Rotation r;
      try {
        r = HashKey.rotate(dir);
      } catch (IllegalStateException e) {
        System.err.println("Cannot rotate: " + e.getMessage());
        return 2;
      }
      System.out.println("Hash key rotated in " + dir + ": old key id " + (r.oldId() == null ? "none" : r.oldId())
          + ", new key id " + r.newId() + ".");
      System.out.println("Restart the gateway to use it (systemctl restart commguard-gateway); "
          + "hashes made with the old key cannot be linked to new ones.");
      return 0;
    }
  }
}
