package io.commguard.gateway.pipeline;

import io.commguard.gateway.model.DeviceEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Where sources deliver decoded events. Thread-safe. */
public interface EventSink {
  /**
   * Accepts one event. The stage completes once the event is safely accepted: the alerts it
   * produced and the rule state that explains them are durably committed. It completes
   * exceptionally with {@link OverloadedException} when the outbox queue is full; the caller then
   * withholds its acknowledgement (MQTT PUBACK) so the device retransmits.
   */
  default CompletionStage<Void> accept(DeviceEvent event) {
    return accept(List.of(event), null);
  }

  /**
   * Accepts the events decoded from one publish as one decision. With a {@code receipt}, the
   * publish's identity is committed with it, and a retransmission of a publish already committed
   * (or being committed) completes without a second decision.
   */
  CompletionStage<Void> accept(List<DeviceEvent> events, Receipt receipt);
}
