package io.commguard.gateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shell recipes of the README and docs/: every fenced {@code ```sh} block, and every untyped
 * block that starts like a command (so a recipe cannot escape its test by losing its tag).
 */
public final class DocRecipes {
  private static final Pattern FENCE = Pattern.compile("^\\s*```(\\w*)\\s*$");
  /** How an untyped block that holds a command begins. */
  private static final Pattern COMMAND_START = Pattern.compile(
      "^(gateway |java |mvn |mosquitto_|protoc |curl |\\./|bench/|sudo |apt-get |systemctl |docker )");

  private DocRecipes() {}

  /**
   * One fenced block.
   *
   * @param file path relative to the repository root, e.g. {@code docs/alert-contract.md}
   * @param line 1-based line of the opening fence
   * @param tagged whether the fence says {@code sh}
   */
  public record Block(String file, int line, boolean tagged, String text) {
    /** The block's commands: one per logical line (continuations joined), comments and blanks left out. */
    public List<String> commands() {
      List<String> out = new ArrayList<>();
      for (String logical : text.replace("\\\n", " ").split("\n")) {
        String command = logical.strip();
        if (!command.isEmpty() && !command.startsWith("#")) {
          out.add(command.replaceAll("\\s+#\\s.*$", "").replaceAll("\\s{2,}", " ").strip());
        }
      }
      return out;
    }

    public String where() {
      return file + ":" + line;
    }
  }

  /** The repository root: the parent of the gateway module the tests run in. */
  public static Path repository() {
    Path root = Path.of("..").toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("README.md"))) {
      throw new IllegalStateException("no README.md at " + root + "; run the tests from the gateway module");
    }
    return root;
  }

  /** Every shell block and every command-like untyped block of README.md and docs/*.md. */
  public static List<Block> all() {
    Path root = repository();
    List<Block> blocks = new ArrayList<>();
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
      files.addAll(docs.filter(p -> p.toString().endsWith(".md")).sorted().toList());
      for (Path file : files) {
        blocks.addAll(blocks(root.relativize(file).toString(), Files.readAllLines(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return blocks;
  }

  /** The one recipe block of {@code file} whose first command starts with {@code firstCommand}. */
  public static Block find(String file, String firstCommand) {
    List<Block> found = all().stream()
        .filter(b -> b.file().equals(file) && !b.commands().isEmpty() && b.commands().get(0).startsWith(firstCommand))
        .toList();
    if (found.size() != 1) {
      throw new IllegalStateException(found.size() + " blocks in " + file + " start with '" + firstCommand + "'");
    }
    return found.get(0);
  }

  static List<Block> blocks(String file, List<String> lines) {
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      int start = i;
      StringBuilder text = new StringBuilder();
      for (i++; i < lines.size() && !FENCE.matcher(lines.get(i)).matches(); i++) {
        text.append(lines.get(i).strip()).append('\n');
      }
      String lang = open.group(1);
      boolean tagged = lang.equals("sh");
      if (tagged || lang.isEmpty() && COMMAND_START.matcher(text).find()) {
        out.add(new Block(file, start + 1, tagged, text.toString()));
      }
    }
    return out;
  }
}
