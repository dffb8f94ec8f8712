package io.commguard.gateway.profile;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.validation.ProblemCollector;

/**
 * Parses and validates one top-level section of a profile file (for example {@code decode},
 * {@code modbus} or {@code rules}) into a typed, immutable value.
 *
 * @param <T> the parsed section
 */
public interface ProfileSectionParser<T> {
  /** The top-level YAML key this parser owns. */
  String key();

  /**
   * Parses the section. Reports every problem to {@code problems} with a path relative to the
   * file root (e.g. {@code modbus.points[3].address}) and returns null if the section is unusable.
   */
  T parse(JsonNode node, ProblemCollector problems);
}
