package io.commguard.gateway.topic;

/**
 * A site-broker topic template such as {@code site/+/{deviceId}/event}: subscribed once as a filter
 * with {@code +} in place of {@code {deviceId}}, then the device id is read from that level of each
 * topic that arrives.
 */
public final class TopicTemplate {
  public static final String DEVICE_ID = "{deviceId}";

  private final TopicFilter filter;
  private final String subscription;
  private final int deviceLevel;

  public TopicTemplate(String template) {
    String[] levels = template.split("/", -1);
    int found = -1;
    for (int i = 0; i < levels.length; i++) {
      if (levels[i].equals(DEVICE_ID)) {
        if (found >= 0) {
          throw new IllegalArgumentException("topic template names {deviceId} twice: " + template);
        }
        found = i;
        levels[i] = "+";
      }
    }
    if (found < 0) {
      throw new IllegalArgumentException("topic template must contain {deviceId} as a whole level: " + template);
    }
    this.deviceLevel = found;
    this.subscription = String.join("/", levels);
    this.filter = new TopicFilter(subscription);
  }

  public String subscription() {
    return subscription;
  }

  /** The device id a topic carries, or null when the topic does not match this template. */
  public String deviceIdOf(String topic) {
    if (!filter.matches(topic)) {
      return null;
    }
    String[] parts = topic.split("/", -1);
    return parts[deviceLevel];
  }
}
