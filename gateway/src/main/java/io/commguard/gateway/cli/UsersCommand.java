package io.commguard.gateway.cli;

import io.commguard.gateway.admin.Role;
import io.commguard.gateway.admin.auth.UserStore;
import io.commguard.gateway.audit.Audit;
import io.commguard.gateway.security.PasswordHash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The console's users, managed on the box in the data directory's users.db: works whether the
 * gateway runs or not (a running gateway picks the change up within 2 s). Each change goes to the
 * audit log as {@code cli:<login name>}.
 */
@Command(name = "users", mixinStandardHelpOptions = true,
    description = "Add, list, remove users of the admin API and web console, or set their password.",
    subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.Remove.class,
        UsersCommand.Passwd.class})
final class UsersCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Shared by the subcommands: the data directory, the store and the audit log, opened on demand. */
  abstract static class Change extends DataDirCommand {
    @Override
    final int run(Path dir) throws IOException {
      try (UserStore store = UserStore.open(dir, Clock.systemUTC())) {
        return change(store, Audit.in(dir, Clock.systemUTC()), "cli:" + System.getProperty("user.name"));
      } catch (IllegalArgumentException e) {
        System.err.println(e.getMessage());
        return 2;
      }
    }

    abstract int change(UserStore store, Audit audit, String actor) throws IOException;
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Add a user; the password is prompted for twice, or read from the first line of standard input.")
  static final class Add extends Change {
    @Parameters(index = "0", description = "User name (letters, digits, . _ @ -)") String name;
    @Option(names = "--role", required = true, description = "admin, installer, technician or viewer") String role;

    @Override
    int change(UserStore store, Audit audit, String actor) throws IOException {
      Role r = Role.parse(role);
      char[] password = readPassword();
      try {
        store.addUser(name, r, PasswordHash.hash(password));
      } finally {
        Arrays.fill(password, '\0');
      }
      audit.record(actor, "user.add", name, null, new JsonObject().put("role", r.word()));
      System.out.println("User " + name + " added with role " + r.word() + ".");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users and their roles.")
  static final class ListUsers extends Change {
    @Option(names = "--json", description = "One JSON array instead of a table") boolean json;

    @Override
    int change(UserStore store, Audit audit, String actor) {
      if (json) {
        JsonArray out = new JsonArray();
        store.users().forEach(u -> out.add(new JsonObject().put("user", u.name()).put("role", u.role().word())
            .put("created", u.created())));
        System.out.println(out.encodePrettily());
        return 0;
      }
      System.out.printf("%-24s %-11s %s%n", "USER", "ROLE", "CREATED");
      store.users().forEach(u -> System.out.printf("%-24s %-11s %s%n", u.name(), u.role().word(), u.created()));
      return 0;
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true,
      description = "Remove a user; their sessions end. The last admin cannot be removed.")
  static final class Remove extends Change {
    @Parameters(index = "0", description = "User name") String name;

    @Override
    int change(UserStore store, Audit audit, String actor) {
      UserStore.User before = store.removeUser(name);
      audit.record(actor, "user.remove", name, new JsonObject().put("role", before.role().word()), null);
      System.out.println("User " + name + " removed.");
      return 0;
    }
  }

  @Command(name = "passwd", mixinStandardHelpOptions = true,
      description = "Set a user's password (prompted for twice, or read from standard input); their sessions end.")
  static final class Passwd extends Change {
    @Parameters(index = "0", description = "User name") String name;

    @Override
    int change(UserStore store, Audit audit, String actor) throws IOException {
      char[] password = readPassword();
      UserStore.User before;
      try {
        before = store.updateUser(name, null, PasswordHash.hash(password));
      } finally {
        Arrays.fill(password, '\0');
      }
      audit.record(actor, "user.update", name, new JsonObject().put("role", before.role().word()),
          new JsonObject().put("role", before.role().word()).put("password", "changed"));
      System.out.println("Password of " + name + " changed.");
      return 0;
    }
  }

  /**
   * From the terminal (typed twice, not echoed), else the first line of standard input.
   *
   * @throws IllegalArgumentException when the two differ or the password breaks the rules
   */
  static char[] readPassword() throws IOException {
    Console console = System.console();
    char[] password;
    if (console != null) {
      password = console.readPassword("Password: ");
      char[] again = console.readPassword("Again: ");
      if (password == null || again == null || !Arrays.equals(password, again)) {
        throw new IllegalArgumentException("the two passwords differ; nothing changed");
      }
      Arrays.fill(again, '\0');
    } else {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      password = line == null ? new char[0] : line.toCharArray();
    }
    UserStore.checkPassword(password);
    return password;
  }
}
