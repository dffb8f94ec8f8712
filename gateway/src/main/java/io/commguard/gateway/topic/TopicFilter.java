package io.commguard.gateway.topic;

/** An MQTT topic filter with {@code +} and {@code #} wildcards, matched without regular expressions. */
public final class TopicFilter {
  private final String[] levels;
  private final String text;

  public TopicFilter(String filter) {
    this.text = filter;
    this.levels = filter.split("/", -1);
  }

  /** Walks the topic level by level in place: called for every publish, so it allocates nothing. */
  public boolean matches(String topic) {
    int start = 0;
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.equals("#")) {
        return true;
      }
      if (start > topic.length()) {
        return false;
      }
      int end = topic.indexOf('/', start);
      if (end < 0) {
        end = topic.length();
      }
      if (!level.equals("+") && !(level.length() == end - start && topic.startsWith(level, start))) {
        return false;
      }
      start = end + 1;
    }
    return start > topic.length();
  }

  @Override
  public String toString() {
    return text;
  }
}
