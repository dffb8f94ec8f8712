package io.commguard.gateway.wire;

import io.commguard.alert.v1.Alert;
import io.commguard.alert.v1.Device;
import io.commguard.alert.v1.Evidence;
import io.commguard.alert.v1.EventKind;
import io.commguard.alert.v1.Measurement;
import io.commguard.alert.v1.Site;
import com.google.protobuf.CodedOutputStream;
import io.commguard.alert.v1.AlertBatch;
import io.commguard.gateway.model.AlertDraft;
import io.commguard.gateway.privacy.HashKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Turns a numbered {@link AlertDraft} into the wire {@link Alert} of {@code commguard.alert.v1},
 * and stored alerts into an {@link AlertBatch}. Stateless.
 */
public final class AlertEncoder {
  private AlertEncoder() {}

  public static Alert encode(AlertDraft d, long sequence, String gatewayId) {
    var site = d.device().site();
    Alert.Builder b = Alert.newBuilder()
        .setAlertId(d.alertId())
        .setGatewayId(gatewayId)
        .setSequence(sequence)
        .setSite(Site.newBuilder()
            .setCommunityCode(site.communityCode())
            .setGridCell(site.gridCell())
            .setBuilding(site.building())
            .setUnit(site.unit())
            .setFloor(site.floor())
            .setRoom(site.room()))
        .setDevice(Device.newBuilder()
            .setDeviceId(d.device().deviceId())
            .setModel(d.device().model())
            .setProfileId(d.device().profileId())
            .setLocation(d.device().location()))
        .setTypeValue(d.type().protoNumber())
        .setLevel(d.level())
        .setStateValue(d.state().protoNumber())
        .setNativeCode(d.nativeCode())
        .setOccurredAtMs(d.occurredAt().toEpochMilli())
        .setDetectedAtMs(d.detectedAt().toEpochMilli())
        .setDescription(d.description())
        .setKind(kind(d.kind()))
        .setTest(d.test())
        .putAllAttributes(d.attributes());
    String keyId = d.attributes().get(HashKey.ID_ATTRIBUTE);
    if (keyId != null) {
      b.removeAttributes(HashKey.ID_ATTRIBUTE).setHashKeyId(keyId);
    }
    for (var m : d.measurements()) {
      Measurement.Builder mb = Measurement.newBuilder().setName(m.name()).setUnit(m.unit());
      if (Double.isFinite(m.value())) {
        mb.setValue(m.value()); // present even when 0.0: zero is a reading, absence is "not known"
      }
      b.addMeasurements(mb);
    }
    for (var e : d.evidence()) {
      b.addEvidence(Evidence.newBuilder().setKind(e.kind()).setRef(e.ref()));
    }
    return b.build();
  }

  private static EventKind kind(io.commguard.gateway.model.EventKind k) {
    return switch (k) {
      case ALARM -> EventKind.ALARM;
      case TELEMETRY -> EventKind.TELEMETRY;
      case STATUS -> EventKind.STATUS;
      case ACCESS -> EventKind.ACCESS;
    };
  }

  /**
   * The bytes of an {@link AlertBatch} holding already-encoded alerts. An embedded message is
   * length-delimited on the wire, so the stored {@code Alert} bytes are copied in verbatim instead
   * of being parsed and re-serialised.
   */
  public static byte[] batch(String gatewayId, long batchSequence, long sentAtMs, List<byte[]> alerts) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + alerts.stream().mapToInt(a -> a.length + 4).sum());
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeString(AlertBatch.GATEWAY_ID_FIELD_NUMBER, gatewayId);
      out.writeUInt64(AlertBatch.BATCH_SEQUENCE_FIELD_NUMBER, batchSequence);
      out.writeInt64(AlertBatch.SENT_AT_MS_FIELD_NUMBER, sentAtMs);
      for (byte[] alert : alerts) {
        out.writeByteArray(AlertBatch.ALERTS_FIELD_NUMBER, alert);
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
