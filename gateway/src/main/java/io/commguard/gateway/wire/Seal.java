package io.commguard.gateway.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.commguard.gateway.security.HmacKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Signed uplink messages ({@code AlertBatch}, {@code GatewayStatus}): fields 13 ({@code
 * hmac_key_id}), 14 ({@code hmac_sequence}) and 15 ({@code hmac}) appended to a message's bytes
 * (protobuf merges appended fields, so the message stays one valid message that receivers without
 * a key read as before). The MAC covers the UTF-8 name of the message type, a zero byte, and every
 * byte of the message before field 15; field 15 is always the last {@value #TRAILER_BYTES} bytes
 * ({@code 0x7A 0x20} and the 32 MAC bytes). docs/alert-contract.md specifies it for other
 * languages, with a test vector. Stateless; the caller gives the sequence.
 */
public final class Seal {
  public static final String ALERT_BATCH = "commguard.alert.v1.AlertBatch";
  public static final String GATEWAY_STATUS = "commguard.alert.v1.GatewayStatus";
  static final int KEY_ID_FIELD = 13;
  static final int SEQUENCE_FIELD = 14;
  static final int MAC_FIELD = 15;
  static final int MAC_BYTES = 32;
  static final int TRAILER_BYTES = 2 + MAC_BYTES;
  private static final byte MAC_TAG = (byte) tag(MAC_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);

  /** Why a message was refused. */
  public enum Refusal {
    /** No MAC as the last field (a gateway without a key, or one stripped on the way). */
    UNSIGNED,
    /** Signed with a key id the receiver does not have (or not for this gateway). */
    UNKNOWN_KEY,
    /** The MAC does not match: changed on the way, or forged. */
    BAD_SIGNATURE
  }

  /**
   * What checking a message found: the key id and sequence it was signed with, or why it is refused.
   */
  public record Verdict(Refusal refusal, String keyId, long sequence) {
    public boolean valid() {
      return refusal == null;
    }
  }

  private Seal() {}

  /** {@code message} (the bytes of a message of {@code messageType} without fields 13-15) signed. */
  public static byte[] seal(String messageType, byte[] message, HmacKey key, long sequence) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length + 32 + TRAILER_BYTES);
      bytes.write(message);
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeString(KEY_ID_FIELD, key.id());
      out.writeUInt64(SEQUENCE_FIELD, sequence);
      out.flush();
      byte[] mac = key.mac(prefix(messageType), bytes.toByteArray());
      out.writeByteArray(MAC_FIELD, mac);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks a received message of {@code messageType}. {@code keys} gives the key for a key id, or
   * null when the id is not known (for the message's sender).
   */
  public static Verdict verify(String messageType, byte[] payload, Function<String, HmacKey> keys) {
    int signedLength = payload.length - TRAILER_BYTES;
    if (signedLength < 0 || payload[signedLength] != MAC_TAG || payload[signedLength + 1] != MAC_BYTES) {
      return new Verdict(Refusal.UNSIGNED, "", 0);
    }
    byte[] signed = Arrays.copyOf(payload, signedLength);
    String keyId;
    long sequence;
    try {
      Header header = header(signed);
      keyId = header.keyId;
      sequence = header.sequence;
    } catch (IOException e) {
      return new Verdict(Refusal.BAD_SIGNATURE, "", 0);
    }
    HmacKey key = keyId.isEmpty() ? null : keys.apply(keyId);
    if (key == null) {
      return new Verdict(Refusal.UNKNOWN_KEY, keyId, sequence);
    }
    byte[] expected = key.mac(prefix(messageType), signed);
    byte[] given = Arrays.copyOfRange(payload, signedLength + 2, payload.length);
    if (!MessageDigest.isEqual(expected, given)) {
      return new Verdict(Refusal.BAD_SIGNATURE, keyId, sequence);
    }
    return new Verdict(null, keyId, sequence);
  }

  private static final class Header {
    String keyId = "";
    long sequence;
  }

  /** Fields 13 and 14 of the signed bytes (the last occurrence wins, as protobuf parses). */
  private static Header header(byte[] signed) throws IOException {
    Header h = new Header();
    CodedInputStream in = CodedInputStream.newInstance(signed);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == tag(KEY_ID_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        h.keyId = in.readStringRequireUtf8();
      } else if (tag == tag(SEQUENCE_FIELD, WireFormat.WIRETYPE_VARINT)) {
        h.sequence = in.readUInt64();
      } else {
        in.skipField(tag);
      }
    }
    return h;
  }

  /** A field's key on the wire (protobuf encoding: field number, then 3 bits of wire type). */
  private static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  private static byte[] prefix(String messageType) {
    byte[] name = messageType.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(name, name.length + 1);
  }
}
