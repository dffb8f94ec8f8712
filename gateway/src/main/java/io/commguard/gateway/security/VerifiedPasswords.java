package io.commguard.gateway.security;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, in memory only, a SHA-256 digest of each password that passed the slow PBKDF2 check,
 * so a device reconnecting with the same password (after a Wi-Fi drop or a gateway restart of the
 * uplink) is verified in microseconds instead of tens of milliseconds of CPU. A changed stored
 * hash (key rotation) invalidates the entry because the stored hash is part of the digest.
 */
public final class VerifiedPasswords {
  private final ConcurrentHashMap<String, byte[]> digests = new ConcurrentHashMap<>();

  /** True when this device already passed PBKDF2 with exactly this password and stored hash. */
  public boolean known(String deviceId, char[] password, String storedHash) {
    byte[] expected = digests.get(deviceId);
    return expected != null && MessageDigest.isEqual(expected, digest(password, storedHash));
  }

  public void remember(String deviceId, char[] password, String storedHash) {
    digests.put(deviceId, digest(password, storedHash));
  }

  /** Full check: the cache first, then PBKDF2 (slow; call off the event loop). */
  public boolean verify(String deviceId, char[] password, String storedHash) {
    if (known(deviceId, password, storedHash)) {
      return true;
    }
    boolean ok = PasswordHash.verify(password, storedHash);
    if (ok) {
      remember(deviceId, password, storedHash);
    }
    return ok;
  }

  private static byte[] digest(char[] password, String storedHash) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(storedHash.getBytes(StandardCharsets.UTF_8));
      ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
      sha.update(encoded);
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
