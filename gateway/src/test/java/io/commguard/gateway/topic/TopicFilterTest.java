package io.commguard.gateway.topic;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicFilterTest {

  @ParameterizedTest
  @CsvSource({
      "devices/cam-1/event, devices/cam-1/event, true",
      "devices/+/event, devices/cam-1/event, true",
      "devices/#, devices, true",
      "devices/#, devices/cam-1/event, true",
      "devices/cam-1/event, devices/cam-2/event, false",
      "devices/cam-1/event, devices/cam-1/event/x, false",
      "devices/cam-1/event, devices/cam-1, false",
      "devices/+, devices/, true",
      "devices/+/event, devices//event, true",
      "+/+, a, false"})
  void matchesAsMqttSays(String filter, String topic, boolean expected) {
    assertThat(new TopicFilter(filter).matches(topic)).isEqualTo(expected);
  }

  @Property(tries = 3000)
  void agreesWithLevelByLevelSplitting(@ForAll("filters") String filter, @ForAll("topics") String topic) {
    assertThat(new TopicFilter(filter).matches(topic)).isEqualTo(reference(filter, topic));
  }

  @Provide
  Arbitrary<String> filters() {
    return Arbitraries.of("a", "b", "+", "", "ab").list().ofMinSize(1).ofMaxSize(4)
        .flatMap(levels -> Arbitraries.of(true, false).map(hash -> String.join("/", levels) + (hash ? "/#" : "")));
  }

  @Provide
  Arbitrary<String> topics() {
    return Arbitraries.of("a", "b", "", "ab", "c").list().ofMinSize(1).ofMaxSize(5).map(levels -> String.join("/", levels));
  }

  private static boolean reference(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
        return false;
      }
    }
    return t.length == f.length;
  }
}
