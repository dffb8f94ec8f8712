package io.commguard.gateway.validation;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a config or profile file is invalid; carries every problem found, not just the first. */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  public InvalidInputException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ", "invalid input:\n  ", "")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
