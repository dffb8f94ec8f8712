package io.commguard.gateway.profile;

import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.DeviceRef;
import java.time.Instant;
import java.util.List;

/** Decodes one device payload into canonical events using the device's profile. Thread-safe. */
public interface PayloadDecoder {
  List<DeviceEvent> decode(DeviceRef device, String topic, byte[] payload, Instant receivedAt) throws DecodeException;
}
