package io.commguard.gateway.source.modbus;

import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.model.DeviceEvent;
import io.commguard.gateway.model.EventKind;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.pipeline.EventSink;
import io.commguard.gateway.pipeline.OverloadedException;
import io.commguard.gateway.pipeline.Receipt;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** Keeps every event it accepts; can be told to refuse as an overloaded pipeline would. */
final class RecordingSink implements EventSink {
  private final List<DeviceEvent> events = new CopyOnWriteArrayList<>();
  final AtomicBoolean overloaded = new AtomicBoolean();

  @Override
  public CompletionStage<Void> accept(List<DeviceEvent> accepted, Receipt receipt) {
    if (overloaded.get()) {
      return CompletableFuture.failedFuture(new OverloadedException("test overload"));
    }
    events.addAll(accepted);
    return CompletableFuture.completedFuture(null);
  }

  List<DeviceEvent> all() {
    return List.copyOf(events);
  }

  List<DeviceEvent> of(String deviceId) {
    return events.stream().filter(e -> e.deviceId().equals(deviceId)).toList();
  }

  /** Events of a device other than periodic telemetry, in order. */
  List<DeviceEvent> changes(String deviceId) {
    return events.stream().filter(e -> e.deviceId().equals(deviceId) && e.kind() != EventKind.TELEMETRY).toList();
  }

  boolean has(String deviceId, String episode, Phase phase) {
    return events.stream().anyMatch(e -> e.deviceId().equals(deviceId) && e.episodeKey().equals(episode) && e.phase() == phase);
  }

  long count(String deviceId, CanonicalType type, Phase phase) {
    return events.stream().filter(e -> e.deviceId().equals(deviceId) && e.type() == type && e.phase() == phase).count();
  }

  void clear() {
    events.clear();
  }
}
