package io.commguard.gateway.source.linefeed;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.profile.codec.DecodeSection;
import io.commguard.gateway.source.ConfiguredDevice;
import io.commguard.gateway.source.Source;
import io.commguard.gateway.source.SourceContext;
import io.commguard.gateway.source.SourceType;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.List;
import java.util.Set;

/**
 * A protocol that exists only to prove the source seam: devices send text lines {@code <deviceId>
 * <payload>} over TCP and get {@code ok} once the line is committed, or {@code refused <reason>}.
 * Config section {@code lineFeed: {port: N}} (loopback only); a device joins with {@code lineFeed:
 * true}; its profile's {@code decode} section decodes the payload.
 */
public final class LineFeedSourceType implements SourceType {
  static final String KEY = "lineFeed";

  @Override
  public String name() {
    return "linefeed";
  }

  @Override
  public Set<String> configKeys() {
    return Set.of(KEY);
  }

  @Override
  public Set<String> deviceKeys() {
    return Set.of(KEY);
  }

  @Override
  public String profileSection() {
    return DecodeSection.KEY;
  }

  @Override
  public void validate(GatewayConfig config, List<ConfiguredDevice> devices, ProblemCollector problems) {
    JsonNode section = config.section(KEY);
    if (!devices.isEmpty() && (section == null || !section.path("port").canConvertToInt())) {
      problems.add(KEY + ".port", "required: the loopback port line-feed devices connect to");
    }
    for (ConfiguredDevice d : devices) {
      if (!d.config().binding(KEY).asBoolean(false)) {
        problems.add(d.path() + "." + KEY, "must be true");
      }
    }
  }

  @Override
  public Source start(SourceContext context) throws Exception {
    JsonNode section = context.config().section(KEY);
    return LineFeedSource.start(context, section == null ? 0 : section.path("port").asInt());
  }
}
