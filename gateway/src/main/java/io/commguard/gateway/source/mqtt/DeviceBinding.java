package io.commguard.gateway.source.mqtt;

import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.profile.PayloadDecoder;
import io.commguard.gateway.topic.TopicFilter;

/**
 * A configured MQTT device: who it is, how to decode it, where it may publish and its password
 * hash (null for devices that only reach the gateway through a site broker).
 */
public record DeviceBinding(DeviceRef device, PayloadDecoder decoder, TopicFilter topicFilter, String passwordHash) {}
