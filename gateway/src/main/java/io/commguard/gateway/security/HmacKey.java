package io.commguard.gateway.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A shared secret for HMAC-SHA256 over uplink messages, known to the gateway and the city platform.
 * The key file holds the raw key bytes ({@value #MIN_BYTES} to {@value #MAX_BYTES}; e.g. {@code
 * head -c 32 /dev/urandom}) and, like the hash key, must be readable by its owner only. Its id is
 * the first {@value #ID_CHARS} hex characters of the SHA-256 of the key: both sides compute it
 * from the file, it names the key in every signed message and reveals nothing usable about it.
 * Thread-safe.
 */
public final class HmacKey {
  public static final int MIN_BYTES = 32;
  public static final int MAX_BYTES = 64;
  public static final int ID_CHARS = 8;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final String id;

  private HmacKey(byte[] bytes) {
    if (bytes.length < MIN_BYTES || bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException("an HMAC key is " + MIN_BYTES + " to " + MAX_BYTES + " bytes, was " + bytes.length);
    }
    this.key = new SecretKeySpec(bytes, ALGORITHM);
    try {
      this.id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, ID_CHARS / 2);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** A key from raw bytes (tests, or a key provisioned by other means). */
  public static HmacKey of(byte[] bytes) {
    return new HmacKey(bytes);
  }

  /**
   * Reads a key file. Blocking file I/O: call at start, not on an event loop.
   *
   * @throws IllegalStateException naming the file: missing, unreadable, the wrong length, or
   *     accessible to another user ({@link PrivateFiles#trustedSecret})
   */
  public static HmacKey load(Path file) {
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalStateException("HMAC key file " + file + " does not exist or is not a regular file; make one with: "
            + "head -c 32 /dev/urandom > " + file + " && chmod 600 " + file);
      }
      PrivateFiles.trustedSecret(file);
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length < MIN_BYTES || bytes.length > MAX_BYTES) {
        throw new IllegalStateException("HMAC key file " + file + " has " + bytes.length + " bytes, expected "
            + MIN_BYTES + " to " + MAX_BYTES + " raw bytes (not hex text)");
      }
      return new HmacKey(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read HMAC key file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The key's public name, carried in every signed message. */
  public String id() {
    return id;
  }

  /** HMAC-SHA256 of the concatenated parts. */
  public byte[] mac(byte[]... parts) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "HmacKey[id=" + id + "]";
  }
}
