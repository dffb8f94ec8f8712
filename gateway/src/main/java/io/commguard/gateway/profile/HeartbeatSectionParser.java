package io.commguard.gateway.profile;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.validation.ProblemCollector;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The profile key {@code heartbeat}: how often a device of this model is heard at the least
 * (a report, a poll answer, a keep-alive message), as an ISO-8601 duration. A device not heard for
 * {@value #MISSED} heartbeats (and holding no open session) reads offline in its live status.
 * Absent: {@link #DEFAULT}.
 */
public final class HeartbeatSectionParser implements ProfileSectionParser<Duration> {
  public static final String KEY = "heartbeat";
  /** The heartbeat of a profile that states none. */
  public static final Duration DEFAULT = Duration.ofMinutes(10);
  public static final int MISSED = 3;
  private static final Duration MIN = Duration.ofSeconds(1);

  @Override
  public String key() {
    return KEY;
  }

  @Override
  public Duration parse(JsonNode node, ProblemCollector problems) {
    if (!node.isTextual()) {
      problems.add(KEY, "must be an ISO-8601 duration such as PT10M or PT1H, was " + node.getNodeType());
      return null;
    }
    try {
      Duration d = Duration.parse(node.asText());
      if (d.compareTo(MIN) < 0) {
        problems.add(KEY, "must be at least PT1S, was " + node.asText());
        return null;
      }
      return d;
    } catch (DateTimeParseException e) {
      problems.add(KEY, "must be an ISO-8601 duration such as PT10M or PT1H, was " + node.asText());
      return null;
    }
  }

  /** The silence after which a device of {@code profile} reads offline. */
  public static Duration silenceLimit(DeviceProfile profile) {
    Duration heartbeat = profile == null ? null : profile.section(KEY, Duration.class);
    return (heartbeat == null ? DEFAULT : heartbeat).multipliedBy(MISSED);
  }
}
