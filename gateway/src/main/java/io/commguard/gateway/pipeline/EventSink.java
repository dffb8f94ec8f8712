package io.commguard.gateway.pipeline;

import io.commguard.gateway.model.DeviceEvent;
import java.util.concurrent.CompletionStage;

/** Where sources deliver decoded events. Thread-safe. */
public interface EventSink {
  /**
   * Accepts one event. The stage completes once the event is safely accepted: every alert it
   * produced is durably committed (or the rules decided it produces none). It completes
   * exceptionally with {@link OverloadedException} when the outbox queue is full; the caller then
   * withholds its acknowledgement (MQTT PUBACK) so the device retransmits.
   */
  CompletionStage<Void> accept(DeviceEvent event);
}
