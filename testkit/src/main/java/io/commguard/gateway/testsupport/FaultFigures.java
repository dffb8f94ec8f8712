package io.commguard.gateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Figures measured by the fault suite, printed and appended to {@code target/fault-figures.txt}
 * (one line per scenario) for docs/delivery.md.
 */
public final class FaultFigures {
  private FaultFigures() {}

  public static synchronized void record(String scenario, String figures) {
    String line = Instant.now() + " " + scenario + " " + figures;
    System.out.println("FAULT-FIGURES " + line);
    try {
      Path file = Path.of(System.getProperty("fault.figures", "target/fault-figures.txt"));
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
