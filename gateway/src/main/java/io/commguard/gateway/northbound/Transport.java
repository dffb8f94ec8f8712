package io.commguard.gateway.northbound;

import java.util.concurrent.CompletionStage;

/**
 * How one northbound moves encoded batches to its peer: the transport glue under a {@link Delivery}
 * (for MQTT, Paho). It knows connections and bytes, never alerts, windows or deadlines. Every
 * method is called on the delivery's thread and must return quickly; outcomes arrive through the
 * returned stages and the {@link Session}, on any thread.
 */
public interface Transport {
  /** Where batches go, for log lines and the fault alert; never credentials. */
  String endpoint();

  /**
   * Opens a connection, with its acknowledgement channel when the platform acknowledges; the stage
   * completes once batches may be published. Events of this connection go to {@code session}.
   */
  CompletionStage<Void> connect(Session session);

  /** Publishes one encoded {@code AlertBatch}; completes when the peer took it (MQTT: the QoS 1 PUBACK). */
  CompletionStage<Void> publish(byte[] batch);

  /** True while the connection opened last is up. */
  boolean connected();

  /** Drops the current connection at once, whatever state it is in; its late events are ignored. */
  void drop();

  /** Closes the connection in an orderly way at shutdown; may block for a bounded time. */
  void close();

  /** A connect failure as one sentence for the log (e.g. which certificate check failed). */
  default String describe(Throwable connectFailure) {
    return String.valueOf(connectFailure);
  }

  /** What the peer tells about one connection. */
  interface Session {
    /** The connection went down. */
    void lost(String reason);

    /** The platform sent an acknowledgement (an encoded {@code Ack}, still untrusted). */
    void ackReceived(byte[] payload);
  }
}
