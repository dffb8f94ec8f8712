package io.commguard.gateway.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The hashes of an HTTP Digest exchange. Algorithms are named as HTTP names them: {@code MD5},
 * {@code SHA-256}, each also with {@code -sess} (case-insensitive); every value is lower-case hex.
 */
public final class DigestMath {
  private static final String SESS = "-SESS";

  private DigestMath() {}

  /** True for a {@code -sess} algorithm, whose HA1 also covers the nonce and client nonce. */
  public static boolean session(String algorithm) {
    return algorithm.toUpperCase(Locale.ROOT).endsWith(SESS);
  }

  /** H(text): the hex digest of {@code text} in UTF-8 with the algorithm's hash ({@code -sess} ignored). */
  public static String h(String algorithm, String text) {
    return hex(hashOf(algorithm), text.getBytes(StandardCharsets.UTF_8));
  }

  /** KD(secret, data) = H(secret ":" data). */
  public static String kd(String algorithm, String secret, String data) {
    return h(algorithm, secret + ':' + data);
  }

  /** HA1 of {@code user:realm:password}: what a device's stored digest secret holds. */
  public static String ha1(String algorithm, String user, String realm, String password) {
    return h(algorithm, user + ':' + realm + ':' + password);
  }

  /** HA1 as the exchange uses it: for a {@code -sess} algorithm H(HA1:nonce:cnonce), else HA1 itself. */
  public static String sessionHa1(String algorithm, String ha1, String nonce, String cnonce) {
    return session(algorithm) ? kd(algorithm, ha1, nonce + ':' + cnonce) : ha1;
  }

  /** HA2 of {@code method:uri} ({@code qop=auth}; the body is not covered). */
  public static String ha2(String algorithm, String method, String uri) {
    return h(algorithm, method + ':' + uri);
  }

  /**
   * The {@code response} value: with a {@code qop} KD(HA1, nonce:nc:cnonce:qop:HA2), without one
   * (RFC 2069) KD(HA1, nonce:HA2). {@code ha1} is the session HA1 for {@code -sess}.
   */
  public static String response(String algorithm, String ha1, String nonce, String nc, String cnonce, String qop,
      String ha2) {
    return qop == null ? kd(algorithm, ha1, nonce + ':' + ha2)
        : kd(algorithm, ha1, nonce + ':' + nc + ':' + cnonce + ':' + qop + ':' + ha2);
  }

  /** Lower-case hex of the {@code hash} ({@code MD5} or {@code SHA-256}) of {@code bytes}. */
  public static String hex(String hash, byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(hash).digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(hash + " is not a digest this runtime offers", e);
    }
  }

  private static String hashOf(String algorithm) {
    String upper = algorithm.toUpperCase(Locale.ROOT);
    return upper.endsWith(SESS) ? upper.substring(0, upper.length() - SESS.length()) : upper;
  }
}
