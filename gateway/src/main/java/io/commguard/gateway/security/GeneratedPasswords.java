package io.commguard.gateway.security;

import java.security.SecureRandom;

/**
 * Device passwords the gateway makes up: {@value #LENGTH} characters drawn by {@link SecureRandom}
 * from {@value #ALPHABET} (no 0/O, 1/l/I: a technician types them from a printout), about 116 bits.
 *
 * <p>Their hashes use {@value #ITERATIONS} PBKDF2 iteration, that is one HMAC-SHA256 keyed by the
 * password over a random 128-bit salt, where chosen passwords get {@value
 * PasswordHash#DEFAULT_ITERATIONS}: stretching only helps a secret that can be guessed, and a
 * 116-bit random one cannot be searched however cheap each try is (docs/security.md argues it). The
 * count is part of the stored hash, so hashes made with more iterations by earlier releases still
 * verify. This keeps a bulk import of thousands of devices to about a second on the shipped C1-only
 * JVM line, where SHA-256 is not intrinsified, and each of their logins cheap for the login verifiers.
 */
public final class GeneratedPasswords {
  public static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  public static final int LENGTH = 20;
  public static final int ITERATIONS = 1;
  private static final SecureRandom RANDOM = new SecureRandom();

  private GeneratedPasswords() {}

  /** A new random password. */
  public static String generate() {
    char[] out = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      out[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return new String(out);
  }

  /** The hash to keep for a generated password (tens of microseconds on the shipped JVM line; still not for an event loop). */
  public static String hash(String password) {
    return PasswordHash.hash(password.toCharArray(), ITERATIONS);
  }
}
