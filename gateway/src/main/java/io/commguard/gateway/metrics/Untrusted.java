package io.commguard.gateway.metrics;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Text a peer controls (usernames, client ids, topics, device ids read from a topic) made safe
 * before it costs memory or reaches a log line or a metric label. Every place that logs or counts
 * peer input goes through here:
 *
 * <ul>
 *   <li>{@link #fits} — size cap, checked before the text is used as a map key or looked up;
 *   <li>{@link #label} — escaped (control characters, line breaks, label delimiters) and truncated,
 *       for text that is not personal but not trusted either (a topic, a configured device id);
 *   <li>{@link #pseudonym} — for text that may be personal (an unknown login name: it may hold a
 *       person's name or ID number): a keyed hash, stable for the life of the process, so log lines
 *       about the same name can be correlated without the name being written anywhere.
 * </ul>
 *
 * Cardinality is capped where the maps live ({@link Counters}, {@link RateLimitedLog}), each with
 * an overflow bucket.
 */
public final class Untrusted {
  /** Longest escaped text a label or log field carries; the rest is cut and its length noted. */
  public static final int MAX_LABEL_CHARS = 64;
  /** Key for everything beyond a map's cardinality cap. */
  public static final String OVERFLOW = "_overflow";

  private static final byte[] PSEUDONYM_KEY = new byte[32];

  static {
    new SecureRandom().nextBytes(PSEUDONYM_KEY);
  }

  private Untrusted() {}

  /** True when {@code text} is non-null and at most {@code maxChars} long. */
  public static boolean fits(String text, int maxChars) {
    return text != null && text.length() <= maxChars;
  }

  /**
   * Escapes and truncates peer text for a log field or a metric label: printable ASCII other than
   * {@code \ " , = { }} passes; everything else becomes {@code \\xNN} / {@code \\uNNNN}, so one
   * log line stays one line and a label cannot forge another.
   */
  public static String label(String text) {
    if (text == null) {
      return "-";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LABEL_CHARS) + 8);
    int i = 0;
    for (; i < text.length() && out.length() < MAX_LABEL_CHARS; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f && "\\\",={}".indexOf(c) < 0) {
        out.append(c);
      } else if (c < 0x100) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (i < text.length()) {
      out.append("...(").append(text.length()).append(" chars)");
    }
    return out.toString();
  }

  /**
   * A short keyed hash of text that may be personal, e.g. {@code anon-3f9a0c1b2d4e}: the same input
   * gives the same pseudonym until the process restarts; it cannot be reversed by guessing inputs
   * without the key, which never leaves memory.
   */
  public static String pseudonym(String text) {
    if (text == null) {
      return "-";
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(PSEUDONYM_KEY, "HmacSHA256"));
      byte[] digest = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder("anon-");
      for (int i = 0; i < 6; i++) {
        out.append(String.format("%02x", digest[i] & 0xff));
      }
      return out.toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
