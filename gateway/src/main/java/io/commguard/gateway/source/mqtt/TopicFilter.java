package io.commguard.gateway.source.mqtt;

/** An MQTT topic filter with {@code +} and {@code #} wildcards, matched without regular expressions. */
public final class TopicFilter {
  private final String[] levels;
  private final String text;

  public TopicFilter(String filter) {
    this.text = filter;
    this.levels = filter.split("/", -1);
  }

  public boolean matches(String topic) {
    String[] parts = topic.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.equals("#")) {
        return true;
      }
      if (i >= parts.length) {
        return false;
      }
      if (!level.equals("+") && !level.equals(parts[i])) {
        return false;
      }
    }
    return parts.length == levels.length;
  }

  @Override
  public String toString() {
    return text;
  }
}
