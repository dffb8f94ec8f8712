package io.commguard.gateway.source.stream;

import io.commguard.gateway.digest.DigestMath;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP digest authentication as a client (RFC 7616): reads a device's {@code WWW-Authenticate}
 * challenges, picks the strongest digest it offers (SHA-256 before MD5, each also as {@code -sess}),
 * and answers it with {@code qop=auth} when offered (RFC 2069 style otherwise), a fresh client
 * nonce and a counting {@code nc}. The last challenge is kept so the next connection answers it
 * at once; a {@code stale=true} challenge only renews the nonce.
 */
final class DigestAuth {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One digest challenge; {@code algorithm} upper-case, e.g. {@code SHA-256}. */
  record Challenge(String realm, String nonce, String opaque, String algorithm, boolean qopAuth, boolean stale) {}

  /** What a 401 offered: the strongest usable digest challenge (or null) and whether Basic was. */
  record Offer(Challenge digest, boolean basic) {}

  private Challenge challenge;
  private int nonceCount;

  /** True when a challenge is known, so a request can carry credentials from the start. */
  boolean ready() {
    return challenge != null;
  }

  /** Takes a new challenge; the nonce count restarts with its nonce. */
  void use(Challenge next) {
    challenge = next;
    nonceCount = 0;
  }

  /** Forgets the challenge (the device refused its answer). */
  void reset() {
    challenge = null;
  }

  /** The {@code Authorization} value for one request to {@code uri} (path and query, as sent). */
  String authorization(String method, String uri, String user, String password) {
    return authorization(method, uri, user, password, HexFormat.of().formatHex(randomBytes()));
  }

  /** As above with a given client nonce (tests replay the RFC's examples). */
  String authorization(String method, String uri, String user, String password, String cnonce) {
    Challenge c = challenge;
    String algorithm = c.algorithm();
    String ha1 = DigestMath.sessionHa1(algorithm, DigestMath.ha1(algorithm, user, c.realm(), password), c.nonce(),
        cnonce);
    String ha2 = DigestMath.ha2(algorithm, method, uri);
    StringBuilder header = new StringBuilder("Digest username=\"").append(quote(user))
        .append("\", realm=\"").append(quote(c.realm()))
        .append("\", nonce=\"").append(quote(c.nonce()))
        .append("\", uri=\"").append(quote(uri))
        .append("\", algorithm=").append(algorithm);
    String response;
    if (c.qopAuth()) {
      String nc = String.format(Locale.ROOT, "%08x", ++nonceCount);
      response = DigestMath.response(algorithm, ha1, c.nonce(), nc, cnonce, "auth", ha2);
      header.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append('"');
    } else {
      response = DigestMath.response(algorithm, ha1, c.nonce(), null, null, null, ha2);
    }
    header.append(", response=\"").append(response).append('"');
    if (c.opaque() != null) {
      header.append(", opaque=\"").append(quote(c.opaque())).append('"');
    }
    return header.toString();
  }

  /** The strongest challenge among the {@code WWW-Authenticate} values of a 401. */
  static Offer parse(List<String> headerValues) {
    Challenge best = null;
    boolean basic = false;
    for (String value : headerValues) {
      for (Map.Entry<String, Map<String, String>> c : challenges(value)) {
        if (c.getKey().equals("basic")) {
          basic = true;
        } else if (c.getKey().equals("digest")) {
          Challenge d = digest(c.getValue());
          if (d != null && (best == null || rank(d.algorithm()) > rank(best.algorithm()))) {
            best = d;
          }
        }
      }
    }
    return new Offer(best, basic);
  }

  private static Challenge digest(Map<String, String> p) {
    String algorithm = p.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
    String qop = p.get("qop");
    boolean qopAuth = qop != null && List.of(qop.toLowerCase(Locale.ROOT).split("\\s*,\\s*")).contains("auth");
    if (rank(algorithm) == 0 || p.get("nonce") == null || (qop != null && !qopAuth)) {
      return null;
    }
    return new Challenge(p.getOrDefault("realm", ""), p.get("nonce"), p.get("opaque"), algorithm, qopAuth,
        "true".equalsIgnoreCase(p.get("stale")));
  }

  private static int rank(String algorithm) {
    return switch (algorithm) {
      case "SHA-256", "SHA-256-SESS" -> 2;
      case "MD5", "MD5-SESS" -> 1;
      default -> 0;
    };
  }

  /**
   * The challenges of one header value: a scheme token, then {@code name=value} or {@code
   * name="quoted"} parameters separated by commas, until the next bare token starts another scheme.
   */
  static List<Map.Entry<String, Map<String, String>>> challenges(String value) {
    List<Map.Entry<String, Map<String, String>>> out = new ArrayList<>();
    Map<String, String> params = null;
    int i = 0;
    int n = value.length();
    while (i < n) {
      char ch = value.charAt(i);
      if (ch == ' ' || ch == ',' || ch == '\t') {
        i++;
        continue;
      }
      int start = i;
      while (i < n && "=, \t".indexOf(value.charAt(i)) < 0) {
        i++;
      }
      String token = value.substring(start, i);
      int j = i;
      while (j < n && (value.charAt(j) == ' ' || value.charAt(j) == '\t')) {
        j++;
      }
      if (j < n && value.charAt(j) == '=' && params != null) {
        i = j + 1;
        while (i < n && value.charAt(i) == ' ') {
          i++;
        }
        StringBuilder v = new StringBuilder();
        if (i < n && value.charAt(i) == '"') {
          i++;
          while (i < n && value.charAt(i) != '"') {
            if (value.charAt(i) == '\\' && i + 1 < n) {
              i++;
            }
            v.append(value.charAt(i++));
          }
          i++;
        } else {
          while (i < n && value.charAt(i) != ',') {
            v.append(value.charAt(i++));
          }
        }
        params.put(token.toLowerCase(Locale.ROOT), v.toString().trim());
      } else {
        params = new LinkedHashMap<>();
        out.add(Map.entry(token.toLowerCase(Locale.ROOT), params));
      }
    }
    return out;
  }

  private static String quote(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return b;
  }
}
