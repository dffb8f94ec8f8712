package io.commguard.gateway.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TopicTemplateTest {
  @ParameterizedTest
  @CsvSource({
      "devices/cam-1/#, devices/cam-1/event, true",
      "devices/cam-1/#, devices/cam-1, true",
      "devices/cam-1/#, devices/cam-2/event, false",
      "site/+/cam-1/event, site/b3/cam-1/event, true",
      "site/+/cam-1/event, site/b3/cam-1/event/x, false",
      "site/+/cam-1/event, site/cam-1/event, false"})
  void topicFilter_matches(String filter, String topic, boolean expected) {
    assertThat(new TopicFilter(filter).matches(topic)).isEqualTo(expected);
  }

  @Test
  void template_readsDeviceIdFromItsLevel() {
    TopicTemplate t = new TopicTemplate("site/+/{deviceId}/event");

    assertThat(t.subscription()).isEqualTo("site/+/+/event");
    assertThat(t.deviceIdOf("site/b3/gas-07/event")).isEqualTo("gas-07");
    assertThat(t.deviceIdOf("site/b3/gas-07/status")).isNull();
  }

  @Test
  void template_withoutDeviceId_isRefused() {
    assertThatThrownBy(() -> new TopicTemplate("site/+/event")).hasMessageContaining("{deviceId}");
  }
}
