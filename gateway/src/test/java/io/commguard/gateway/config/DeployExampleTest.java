package io.commguard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.commguard.gateway.validation.InvalidInputException;
import io.commguard.gateway.validation.Problem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps deploy/gateway.example.yaml true: every key in it is real and valid. */
class DeployExampleTest {
  @Test
  void example_onlyProblemsAreThePasswordHashPlaceholders_eachSaysWhatToRun() {
    Path example = Path.of("..", "deploy", "gateway.example.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(example))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.problems())
              .extracting(Problem::path)
              .containsExactly("devices[0].passwordHash", "devices[1].passwordHash");
          assertThat(e.problems())
              .extracting(Problem::reason)
              .containsOnly("placeholder: replace with the output of `gateway hash-password`");
        });
  }
}
