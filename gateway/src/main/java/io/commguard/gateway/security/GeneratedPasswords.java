package io.commguard.gateway.security;

import java.security.SecureRandom;

/**
 * Device passwords the gateway makes up: {@value #LENGTH} characters drawn by {@link SecureRandom}
 * from {@value #ALPHABET} (no 0/O, 1/l/I: a technician types them from a printout), about 116 bits.
 *
 * <p>Their hashes use {@value #ITERATIONS} PBKDF2 iterations instead of the
 * {@value PasswordHash#DEFAULT_ITERATIONS} of chosen passwords: stretching protects guessable
 * passwords, and a 116-bit random secret cannot be guessed however fast each try is. This keeps a
 * bulk import of thousands of devices to seconds and each of their logins cheap for the login
 * verifiers.
 */
public final class GeneratedPasswords {
  public static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  public static final int LENGTH = 20;
  public static final int ITERATIONS = 1_000;
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

  /** The hash to keep for a generated password (CPU-heavy: about a millisecond; never on an event loop). */
  public static String hash(String password) {
    return PasswordHash.hash(password.toCharArray(), ITERATIONS);
  }
}
