package io.commguard.gateway.source.mqtt;

import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.source.Ingest;
import io.commguard.gateway.topic.TopicFilter;
import java.time.Clock;

/**
 * An MQTT device in service: who it is, how to decode it, where it may publish and its password
 * hash (null for devices that only reach the gateway through a site broker).
 */
public record DeviceBinding(DeviceRef device, PayloadDecoder decoder, TopicFilter topicFilter, String passwordHash) {
  /** Decoding one publish of this device, stamped with the time it arrived. */
  Ingest.Decoding decoding(String topic, byte[] payload, Clock clock) {
    return () -> decoder.decode(device, topic, payload, clock.instant());
  }
}
