package io.commguard.gateway.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 password hashes in the form {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}
 * (salt and hash in base64). Config files hold only these, never a plaintext password.
 *
 * <p>The iteration count travels in the string: chosen passwords get {@value #DEFAULT_ITERATIONS}
 * (config files must have at least {@value #MIN_ITERATIONS}), passwords the gateway generates
 * {@link GeneratedPasswords#ITERATIONS}, and {@link #verify} takes both.
 */
public final class PasswordHash {
  public static final String SCHEME = "pbkdf2-sha256";
  public static final int DEFAULT_ITERATIONS = 60_000;
  /** The least a hash of a chosen (human) password may use. */
  public static final int MIN_ITERATIONS = 10_000;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHash() {}

  public static String hash(char[] password) {
    return hash(password, DEFAULT_ITERATIONS);
  }

  public static String hash(char[] password, int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] derived = derive(password, salt, iterations);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME + '$' + iterations + '$' + b64.encodeToString(salt) + '$' + b64.encodeToString(derived);
  }

  /**
   * The iteration count most of these hashes use ({@link #DEFAULT_ITERATIONS} when none is well
   * formed): what a stand-in check must cost to take as long as a real one.
   */
  public static int commonIterations(Collection<String> storedHashes) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (String stored : storedHashes) {
      if (hasShape(stored, GeneratedPasswords.ITERATIONS)) {
        counts.merge(Integer.parseInt(stored.split("\\$")[1]), 1, Integer::sum);
      }
    }
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(DEFAULT_ITERATIONS);
  }

  /** Checks a password against a stored hash (a chosen or a generated one) in constant time. */
  public static boolean verify(char[] password, String stored) {
    String[] parts = stored.split("\\$");
    if (!hasShape(stored, GeneratedPasswords.ITERATIONS)) {
      return false;
    }
    int iterations = Integer.parseInt(parts[1]);
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    return MessageDigest.isEqual(expected, derive(password, salt, iterations));
  }

  /**
   * True when the text has the shape {@link #hash} produces with at least {@value #MIN_ITERATIONS}
   * iterations, as a hash of a chosen password must; used by config validation.
   */
  public static boolean isWellFormed(String stored) {
    return hasShape(stored, MIN_ITERATIONS);
  }

  private static boolean hasShape(String stored, int minIterations) {
    if (stored == null) {
      return false;
    }
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !SCHEME.equals(parts[0])) {
      return false;
    }
    try {
      return Integer.parseInt(parts[1]) >= minIterations
          && Base64.getDecoder().decode(parts[2]).length >= 8
          && Base64.getDecoder().decode(parts[3]).length == HASH_BITS / 8;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
    }
  }
}
