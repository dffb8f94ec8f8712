package io.commguard.gateway.validation;

/**
 * One validation failure in an input file: which file, where in it (a path such as
 * {@code devices[2].site.building}) and why.
 */
public record Problem(String file, String path, String reason) {
  @Override
  public String toString() {
    return file + ": " + (path == null || path.isEmpty() ? "" : path + ": ") + reason;
  }
}
