package io.commguard.gateway.model;

import java.util.Objects;

/** A named numeric value with its unit, e.g. {@code concentration 23.5 %LEL}. */
public record Measurement(String name, double value, String unit) {
  public Measurement {
    Objects.requireNonNull(name, "name");
    unit = unit == null ? "" : unit;
  }
}
