package io.commguard.gateway.security;

import io.commguard.gateway.digest.DigestMath;
import java.util.regex.Pattern;

/**
 * The stored secret of an HTTP Digest login (RFC 7616): {@code md5:<hex>} or {@code sha256:<hex>}
 * of {@code user:realm:password}. HTTP Digest needs this value, not a slow salted hash, so it is
 * what a config holds instead of the password; it opens only this realm and is kept like a
 * password hash (never logged).
 */
public final class DigestHash {
  private static final Pattern FORM = Pattern.compile("md5:[0-9a-f]{32}|sha256:[0-9a-f]{64}");

  private DigestHash() {}

  /** The stored value for {@code user} in {@code realm}; {@code sha256} selects SHA-256, else MD5. */
  public static String of(boolean sha256, String user, String realm, char[] password) {
    return (sha256 ? "sha256:" : "md5:") + DigestMath.ha1(sha256 ? "SHA-256" : "MD5", user, realm, new String(password));
  }

  public static boolean isWellFormed(String stored) {
    return stored != null && FORM.matcher(stored).matches();
  }

  /** The digest algorithm of a stored value as HTTP names it: {@code MD5} or {@code SHA-256}. */
  public static String algorithm(String stored) {
    return stored.startsWith("sha256:") ? "SHA-256" : "MD5";
  }

  /** The stored value's hex (HA1). */
  public static String secret(String stored) {
    return stored.substring(stored.indexOf(':') + 1);
  }
}
