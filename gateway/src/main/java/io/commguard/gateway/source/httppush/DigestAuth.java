package io.commguard.gateway.source.httppush;

import io.commguard.gateway.digest.DigestMath;
import io.commguard.gateway.security.DigestHash;
import io.commguard.gateway.security.LoginThrottle;
import io.commguard.gateway.source.httppush.PushAuth.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP Digest (RFC 7616, {@code qop=auth}, MD5 or SHA-256 as the device's stored hash says; the
 * RFC 2069 form without {@code qop} that older firmware sends is accepted too). Nonces are
 * stateless: the time they were issued and a MAC over it with a key that never leaves memory, so
 * nothing grows per client. A nonce older than {@link #NONCE_LIFETIME_MS} gets a new challenge
 * with {@code stale=true}, which a client answers without asking its user again. Wrong answers feed
 * a per-address {@link LoginThrottle}. The hashing is cheap, so it runs on the event loop.
 */
final class DigestAuth {
  static final long NONCE_LIFETIME_MS = 300_000;
  private static final Pattern PARAM = Pattern.compile("([A-Za-z]+)\\s*=\\s*(\"([^\"]*)\"|[^,\\s]*)");

  private final byte[] key = new byte[32];
  private final String realm;
  private final LongSupplier clockMs;
  private final LoginThrottle byAddress;

  DigestAuth(String realm, LongSupplier clockMs, LoginThrottle byAddress) {
    new SecureRandom().nextBytes(key);
    this.realm = realm;
    this.clockMs = clockMs;
    this.byAddress = byAddress;
  }

  String challenge(String digestHash, boolean stale) {
    return "Digest realm=\"" + realm + "\", qop=\"auth\", algorithm=" + DigestHash.algorithm(digestHash)
        + ", nonce=\"" + nonce(clockMs.getAsLong()) + "\"" + (stale ? ", stale=true" : "");
  }

  Verdict verify(String deviceId, String digestHash, String authorization, String method, String uri, String address) {
    if (byAddress.lockedOut(address)) {
      return new Verdict(false, false, 429, "locked_out");
    }
    Map<String, String> p = params(authorization);
    if (p == null) {
      return Verdict.refused("malformed_credentials");
    }
    String nonce = p.getOrDefault("nonce", "");
    String algorithm = DigestHash.algorithm(digestHash);
    boolean ok = deviceId.equals(p.get("username")) && realm.equals(p.get("realm")) && uri.equals(p.get("uri"))
        && algorithm.equalsIgnoreCase(p.getOrDefault("algorithm", "MD5")) && issuedAt(nonce) >= 0
        && MessageDigest.isEqual(expected(DigestHash.secret(digestHash), algorithm, method, p, nonce)
            .getBytes(StandardCharsets.US_ASCII), p.getOrDefault("response", "").getBytes(StandardCharsets.US_ASCII));
    if (!ok) {
      byAddress.failed(address);
      return Verdict.refused("bad_credentials");
    }
    if (clockMs.getAsLong() - issuedAt(nonce) > NONCE_LIFETIME_MS) {
      return Verdict.refused("stale_nonce");
    }
    return Verdict.OK;
  }

  private static String expected(String ha1, String algorithm, String method, Map<String, String> p, String nonce) {
    return DigestMath.response(algorithm, ha1, nonce, p.getOrDefault("nc", ""), p.getOrDefault("cnonce", ""),
        p.get("qop"), DigestMath.ha2(algorithm, method, p.get("uri")));
  }

  /** The header's parameters; null when it is not a Digest header of a sane size. */
  private static Map<String, String> params(String authorization) {
    if (authorization.length() > 2048 || !authorization.regionMatches(true, 0, "Digest ", 0, 7)) {
      return null;
    }
    Map<String, String> out = new HashMap<>();
    Matcher m = PARAM.matcher(authorization.substring(7));
    while (m.find() && out.size() < 16) {
      out.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(3) != null ? m.group(3) : m.group(2));
    }
    String qop = out.get("qop");
    return qop != null && !qop.equals("auth") ? null : out;
  }

  private String nonce(long issuedMs) {
    String time = Long.toHexString(issuedMs);
    return time + '-' + mac(time);
  }

  /** When a nonce this listener made was issued; -1 for anything else. */
  private long issuedAt(String nonce) {
    int dash = nonce.indexOf('-');
    if (dash <= 0 || dash > 16) {
      return -1;
    }
    String time = nonce.substring(0, dash);
    if (!MessageDigest.isEqual(mac(time).getBytes(StandardCharsets.US_ASCII),
        nonce.substring(dash + 1).getBytes(StandardCharsets.US_ASCII))) {
      return -1;
    }
    try {
      return Long.parseLong(time, 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private String mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.US_ASCII)), 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
