package io.commguard.gateway.source.modbus;

import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.Phase;
import io.commguard.gateway.pipeline.OverloadedException;
import io.commguard.gateway.source.Ingest;
import java.time.Instant;
import java.util.List;

/**
 * Hands a device's events to the pipeline through the shared {@link Ingest}. When the pipeline
 * refuses one (overload), the device's condition is put back so the next poll sends it again:
 * Modbus is polled state, so nothing is lost, only delayed by one poll interval.
 */
final class ModbusEvents {
  private final Ingest ingest;
  private final PollerThread poller;
  private final RateLimitedLog rateLimited;

  ModbusEvents(Ingest ingest, PollerThread poller, RateLimitedLog rateLimited) {
    this.ingest = ingest;
    this.poller = poller;
    this.rateLimited = rateLimited;
  }

  void emit(DeviceSession s, List<DeviceSession.Emission> emissions) {
    for (DeviceSession.Emission e : emissions) {
      accept(s, e.event(), () -> s.undo(e));
    }
  }

  /** The device answered a poll on {@code link}: it is alive. */
  void answered(DeviceSession s, String link) {
    ingest.answered(s.id(), link + " unit " + s.device.unitId());
  }

  /** The device stopped answering. */
  void lost(DeviceSession s) {
    ingest.lost(s.id());
  }

  void emitOffline(DeviceSession s, Phase phase, Instant now) {
    accept(s, s.offlineEvent(phase, now), () -> s.offlineNotDelivered(phase == Phase.ACTIVE));
  }

  private void accept(DeviceSession s, io.commguard.gateway.model.DeviceEvent event, Runnable undo) {
    try {
      ingest.deliver(s.id(), List.of(event)).whenCompleteAsync((v, ex) -> {
        if (ex != null) {
          refused(s, ex, undo);
        }
      }, poller);
    } catch (RuntimeException ex) {
      refused(s, ex, undo);
    }
  }

  private void refused(DeviceSession s, Throwable ex, Runnable undo) {
    Throwable cause = ErrorReason.unwrap(ex);
    String reason = cause instanceof OverloadedException ? "overloaded" : "sink_error";
    rateLimited.log(reason.equals("overloaded") ? System.Logger.Level.WARNING : System.Logger.Level.ERROR,
        s.id() + "/refused/" + reason,
        "Pipeline refused a Modbus event; it is sent again on the next poll device=" + s.id()
            + " reason=" + reason + " detail=" + cause.getMessage());
    undo.run();
  }
}
