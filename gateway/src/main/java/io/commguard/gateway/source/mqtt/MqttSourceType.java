package io.commguard.gateway.source.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.config.ConfigSections;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.profile.codec.DecodeSection;
import io.commguard.gateway.source.ConfiguredDevice;
import io.commguard.gateway.source.Source;
import io.commguard.gateway.source.SourceContext;
import io.commguard.gateway.source.SourceType;
import io.commguard.gateway.topic.TopicTemplate;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.List;
import java.util.Set;

/** Devices that publish MQTT: to the embedded endpoint, or to a site broker the gateway subscribes to. */
public final class MqttSourceType implements SourceType {
  static final String ENDPOINT_KEY = "deviceEndpoint";
  static final String BROKER_KEY = "externalBroker";

  @Override
  public String name() {
    return "mqtt";
  }

  @Override
  public Set<String> configKeys() {
    return Set.of(ENDPOINT_KEY, BROKER_KEY);
  }

  @Override
  public Set<String> deviceKeys() {
    return Set.of(MqttDevices.TOPIC_KEY);
  }

  @Override
  public String profileSection() {
    return DecodeSection.KEY;
  }

  /** The {@code deviceEndpoint} section, or the disabled default; null when it has a problem. */
  public static DeviceEndpointConfig endpoint(GatewayConfig config, ProblemCollector problems) {
    JsonNode node = config.section(ENDPOINT_KEY);
    return node == null ? DeviceEndpointConfig.DISABLED
        : ConfigSections.read(node, DeviceEndpointConfig.class, ENDPOINT_KEY, problems);
  }

  /** The {@code externalBroker} section; null when absent or with a problem. */
  public static ExternalBrokerConfig broker(GatewayConfig config, ProblemCollector problems) {
    return ConfigSections.read(config.section(BROKER_KEY), ExternalBrokerConfig.class, BROKER_KEY, problems);
  }

  @Override
  public void validate(GatewayConfig config, List<ConfiguredDevice> devices, ProblemCollector problems) {
    DeviceEndpointConfig endpoint = endpoint(config, problems);
    if (endpoint != null) {
      EndpointChecks.validate(endpoint, problems);
    }
    ExternalBrokerConfig broker = broker(config, problems);
    if (broker != null) {
      validateBroker(broker, problems);
    }
    for (ConfiguredDevice d : devices) {
      JsonNode topic = d.config().binding(MqttDevices.TOPIC_KEY);
      if (topic != null && (!topic.isTextual() || topic.asText().isBlank() || topic.asText().startsWith("$"))) {
        problems.add(d.path() + ".topic", "must be a topic filter such as devices/" + d.config().id() + "/#");
      }
    }
  }

  private static void validateBroker(ExternalBrokerConfig b, ProblemCollector problems) {
    if (b.url() == null || !(b.url().startsWith("tcp://") || b.url().startsWith("ssl://"))) {
      problems.add(BROKER_KEY + ".url", "required: tcp://host:port or ssl://host:port");
    }
    for (int i = 0; i < b.topics().size(); i++) {
      try {
        new TopicTemplate(b.topics().get(i));
      } catch (IllegalArgumentException e) {
        problems.add(BROKER_KEY + ".topics[" + i + "]", e.getMessage());
      }
    }
  }

  /** Devices of the embedded endpoint log in with their id and password. */
  @Override
  public boolean devicesLogIn(GatewayConfig config) {
    DeviceEndpointConfig endpoint = endpoint(config, new ProblemCollector("config"));
    return endpoint != null && endpoint.enabled();
  }

  @Override
  public Source start(SourceContext context) throws Exception {
    return MqttSource.start(context);
  }
}
