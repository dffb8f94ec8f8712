package io.commguard.gateway.northbound.mqtt;

import io.commguard.gateway.security.HmacKey;
import io.commguard.gateway.wire.Seal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * Signs what the uplink publishes with the {@code uplink.hmacKeyFile} key and the persisted
 * sequence ({@link Seal}, {@link SealSequence}). Thread-safe.
 */
final class UplinkSigner implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(UplinkSigner.class.getName());
  private final HmacKey key;
  private final SealSequence sequence;

  UplinkSigner(HmacKey key, SealSequence sequence) {
    this.key = key;
    this.sequence = sequence;
  }

  /**
   * Loads the key and the sequence kept in {@code sequenceFile}. Blocking file I/O: call at start.
   *
   * @throws IllegalStateException naming the file when the key cannot be used or the sequence file
   *     cannot be written
   */
  static UplinkSigner open(Path keyFile, Path sequenceFile) {
    HmacKey key = HmacKey.load(keyFile);
    try {
      UplinkSigner signer = new UplinkSigner(key, SealSequence.open(sequenceFile, System.currentTimeMillis() * 1000));
      LOG.log(Level.INFO, "Uplink signing with HMAC key keyId=" + key.id());
      return signer;
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("Cannot write the uplink sequence file " + sequenceFile + ": " + e.getMessage(), e);
    }
  }

  String keyId() {
    return key.id();
  }

  /** {@code message} of {@code messageType} with the key id, the next sequence and the MAC appended. */
  byte[] sign(String messageType, byte[] message) {
    return Seal.seal(messageType, message, key, sequence.next());
  }

  @Override
  public void close() {
    sequence.close();
  }
}
