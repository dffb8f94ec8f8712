package io.commguard.gateway.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.commguard.alert.v1.Ack;
import io.commguard.alert.v1.AlertBatch;

/**
 * The platform's acknowledgement in its wire form: built by receivers for a stored batch, read by
 * a northbound to learn what was delivered. Stateless.
 */
public final class Acks {
  private Acks() {}

  /** The {@code Ack} for a stored batch: its batch sequence and the sequence of every alert in it. */
  public static byte[] forBatch(AlertBatch batch) {
    Ack.Builder ack = Ack.newBuilder().setGatewayId(batch.getGatewayId()).addBatchSequences(batch.getBatchSequence());
    batch.getAlertsList().forEach(a -> ack.addAlertSequences(a.getSequence()));
    return ack.build().toByteArray();
  }

  /** Decodes an {@code Ack} a peer sent; its fields are still to be checked against the sender's own state. */
  public static Ack parse(byte[] payload) throws InvalidProtocolBufferException {
    return Ack.parseFrom(payload);
  }
}
