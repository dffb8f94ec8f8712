package io.commguard.gateway.rule.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OfflineSpecTest {
  @Test
  void silenceLimit_isTheIntervalTimesTheMissedIntervals_withFractionsOfASecond() {
    assertThat(new OfflineSpec(Duration.ofMillis(1_500), 3).silenceLimit()).isEqualTo(Duration.ofMillis(4_500));
    assertThat(new OfflineSpec(Duration.ofSeconds(1, 999_999_999), 1_000).silenceLimit())
        .isEqualTo(Duration.ofSeconds(1, 999_999_999).multipliedBy(1_000));
  }

  @Test
  void silenceLimit_missedIntervalsDefaultToThree_andNoIntervalMeansNoDetection() {
    assertThat(new OfflineSpec(Duration.ofMinutes(5), null).silenceLimit()).isEqualTo(Duration.ofMinutes(15));
    assertThat(new OfflineSpec(null, 3).silenceLimit()).isNull();
  }
}
