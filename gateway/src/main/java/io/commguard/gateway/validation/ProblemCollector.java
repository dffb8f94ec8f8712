package io.commguard.gateway.validation;

import java.util.ArrayList;
import java.util.List;

/** Gathers every problem found in one file so the user sees them all at once. */
public final class ProblemCollector {
  private final String file;
  private final List<Problem> problems = new ArrayList<>();

  public ProblemCollector(String file) {
    this.file = file;
  }

  public String file() {
    return file;
  }

  public void add(String path, String reason) {
    problems.add(new Problem(file, path, reason));
  }

  /** Adds a problem when {@code value} is below {@code min}. */
  public void atLeast(String path, int value, int min) {
    if (value < min) {
      add(path, "must be at least " + min + ", was " + value);
    }
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  public List<Problem> problems() {
    return List.copyOf(problems);
  }

  /** Throws {@link InvalidInputException} listing every problem, if there is any. */
  public void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
  }
}
