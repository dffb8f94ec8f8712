package io.commguard.gateway.profile.codec;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Parses the ISO-8601 shapes devices send most, {@code 2026-11-22T10:15:30[.fraction]} with or
 * without {@code Z} / {@code +08:00}, without the general {@code DateTimeFormatter} machinery,
 * which costs more than decoding the rest of a camera event. Other shapes are left to the caller's
 * {@code DateTimeFormatter}, so what is accepted stays exactly what the JDK accepts.
 */
final class IsoTimes {
  private IsoTimes() {}

  /** A parsed time; {@code offset} is null when the text has none. */
  record Parsed(LocalDateTime dateTime, ZoneOffset offset) {}

  /**
   * The parsed time, or null when {@code s} is not one of the common shapes (the caller then uses
   * the JDK's parser).
   *
   * @throws java.time.DateTimeException when the shape is right but a field is out of range
   */
  static Parsed fast(String s) {
    int n = s.length();
    if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int pos = 19;
    int nanos = 0;
    if (pos < n && s.charAt(pos) == '.') {
      int start = ++pos;
      while (pos < n && pos - start < 9 && isDigit(s.charAt(pos))) {
        nanos = nanos * 10 + (s.charAt(pos) - '0');
        pos++;
      }
      if (pos == start || (pos < n && isDigit(s.charAt(pos)))) {
        return null;
      }
      for (int i = pos - start; i < 9; i++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (pos == n) {
      return new Parsed(LocalDateTime.of(year, month, day, hour, minute, second, nanos), null);
    } else if (pos == n - 1 && s.charAt(pos) == 'Z') {
      offsetSeconds = 0;
    } else if (pos == n - 6 && (s.charAt(pos) == '+' || s.charAt(pos) == '-') && s.charAt(pos + 3) == ':') {
      int oh = digits(s, pos + 1, 2);
      int om = digits(s, pos + 4, 2);
      if ((oh | om) < 0 || oh > 18 || om > 59) {
        return null;
      }
      offsetSeconds = (s.charAt(pos) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    // LocalDateTime.of validates every field (month 13, 31 February, second 60) with the JDK's rules.
    return new Parsed(LocalDateTime.of(year, month, day, hour, minute, second, nanos), ZoneOffset.ofTotalSeconds(offsetSeconds));
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
