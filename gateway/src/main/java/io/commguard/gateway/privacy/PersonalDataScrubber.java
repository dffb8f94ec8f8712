package io.commguard.gateway.privacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes personal data from free text before it leaves the gateway or reaches a log: resident
 * identity numbers (18 digits with the GB 11643 check character, and the 15-digit form of before
 * 1999), mainland mobile numbers, bank card numbers (16–19 digits passing the Luhn check), the
 * values of name-like and other personal keys ({@code name=…}, {@code "personName":"…"}, {@code
 * 姓名：…}, {@code 姓名张三}), credentials in URLs and URL query strings. Each finding is replaced by
 * a marker in square brackets that says what was there ({@code [id-number]}, {@code [phone]},
 * {@code [card-number]}, {@code [redacted]}, {@code [query]}), so an operator still understands
 * the text. Numbers are recognised only as whole numbers (no digit right before or after).
 *
 * <p>Stateless and thread-safe; cost is linear in the text (texts reaching it are bounded by the
 * decoder). Use {@link #scrubText} for descriptions, codes, names and log lines, and {@link
 * #scrubReference} for evidence URLs, which must stay usable.
 */
public final class PersonalDataScrubber {
  public static final String ID_NUMBER = "[id-number]";
  public static final String PHONE = "[phone]";
  public static final String CARD_NUMBER = "[card-number]";
  public static final String REDACTED = "[redacted]";
  public static final String QUERY = "[query]";

  /** Chinese name keys directly followed by the name, without a separator: 姓名张三 (not 户主姓名：…). */
  private static final Pattern CHINESE_NAME_GLUED = Pattern.compile(
      "(姓名|名字|联系人|户主|业主)([\\p{IsHan}·]{1,6}+)(?![\"']?\\s*[:=：])");

  private static final Pattern URL = Pattern.compile(
      "(?i)\\b([a-z][a-z0-9+.\\-]{1,15}://)([^\\s/?#@]*@)?([^\\s?#]*)(\\?[^\\s#]*)?(#\\S*)?");
  /**
   * {@code key} then {@code :} {@code =} or {@code ：}, optionally quoted on either side (JSON,
   * query strings, log fields); group 3 is the opening quote of the value, if any.
   */
  private static final Pattern KEY_VALUE = Pattern.compile(
      "([\\p{L}\\p{N}_.\\-]{1,48})([\"']?\\s*[:=：]\\s*)([\"']?)");
  /**
   * A query value that names a thing, not a person ({@code name=ch01_08000000017000} in a camera's
   * picture URL): ASCII letters, digits and {@code _.-} with at least one digit. Personal numbers in
   * such a value are still caught by the number rules.
   */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.\\-]*\\d[A-Za-z0-9_.\\-]*");
  private static final Pattern ID_18 = Pattern.compile("(?<!\\d)\\d{17}[\\dXx](?!\\d)");
  private static final Pattern DIGITS_15 = Pattern.compile("(?<!\\d)\\d{15}(?!\\d)");
  private static final Pattern CARD = Pattern.compile("(?<!\\d)(?:\\d{4}(?:[ \\-]\\d{4}){3}(?:[ \\-]?\\d{1,3})?|\\d{16,19})(?!\\d)");
  private static final Pattern MOBILE = Pattern.compile(
      "(?<!\\d)(?:(?:\\+|00)86[ \\-]?)?1[3-9]\\d(?:[ \\-]?\\d{4}){2}(?!\\d)");
  private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] ID_CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

  private PersonalDataScrubber() {}

  /** Free text with personal data replaced; URL query strings and credentials removed whole. */
  public static String scrubText(String text) {
    if (text == null || text.isEmpty() || !mayHoldPersonalData(text)) {
      return text;
    }
    String s = urls(text, false);
    s = keyValues(s);
    s = numbers(s);
    return s;
  }

  /**
   * An evidence reference (URL or id) that must stay usable: credentials are removed, and in the
   * query string personal numbers and the values of personal keys are replaced — except values that
   * are plainly identifiers of a picture or clip (ASCII letters, digits, {@code _.-}, with a digit).
   */
  public static String scrubReference(String ref) {
    if (ref == null || ref.isEmpty() || !mayHoldPersonalData(ref)) {
      return ref;
    }
    return numbers(urls(ref, true));
  }

  /** Cheap test that lets most texts (codes, plain words) through without any regex. */
  private static boolean mayHoldPersonalData(String s) {
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++digits >= 11) {
          return true;
        }
      } else if (c == ':' || c == '=' || c == '：' || c == '?' || c == '@' || c >= 0x3400) {
        return true;
      }
    }
    return false;
  }

  private static String urls(String s, boolean keepQuery) {
    Matcher m = URL.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    do {
      StringBuilder url = new StringBuilder(m.group(1));
      if (m.group(2) != null) {
        url.append(REDACTED).append('@');
      }
      url.append(m.group(3));
      if (m.group(4) != null) {
        url.append(keepQuery ? '?' + queryParameters(m.group(4).substring(1)) : "?" + QUERY);
      }
      if (m.group(5) != null) {
        url.append(m.group(5));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(url.toString()));
    } while (m.find());
    m.appendTail(out);
    return out.toString();
  }

  private static String queryParameters(String query) {
    StringBuilder out = new StringBuilder(query.length());
    for (String pair : query.split("&", -1)) {
      if (out.length() > 0) {
        out.append('&');
      }
      int eq = pair.indexOf('=');
      if (eq > 0 && personalKey(pair.substring(0, eq)) && !IDENTIFIER.matcher(pair.substring(eq + 1)).matches()) {
        out.append(pair, 0, eq + 1).append(REDACTED);
      } else {
        out.append(pair);
      }
    }
    return out.toString();
  }

  private static String keyValues(String s) {
    s = CHINESE_NAME_GLUED.matcher(s).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + REDACTED));
    Matcher m = KEY_VALUE.matcher(s);
    StringBuilder out = null;
    int copied = 0;
    int from = 0;
    while (from < s.length() && m.find(from)) {
      int valueStart = m.end();
      int valueEnd = personalKey(m.group(1)) ? valueEnd(s, valueStart, m.group(3)) : valueStart;
      if (valueEnd == valueStart) {
        from = valueStart;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s.length());
      }
      out.append(s, copied, valueStart).append(REDACTED);
      copied = valueEnd;
      from = valueEnd;
    }
    if (out == null) {
      return s;
    }
    return out.append(s, copied, s.length()).toString();
  }

  /**
   * Where a personal value ends: at its closing quote when quoted; otherwise at a delimiter, going
   * on over further capitalised words ("Zhang San") unless one is the next key.
   */
  private static int valueEnd(String s, int start, String quote) {
    if (!quote.isEmpty()) {
      int close = s.indexOf(quote.charAt(0), start);
      return close < 0 ? s.length() : close;
    }
    int end = token(s, start);
    while (end + 1 < s.length() && s.charAt(end) == ' ' && Character.isUpperCase(s.charAt(end + 1))) {
      int next = token(s, end + 1);
      if (next < s.length() && isSeparator(s.charAt(next))) {
        break;
      }
      end = next;
    }
    return end;
  }

  private static int token(String s, int i) {
    while (i < s.length() && !isDelimiter(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isSeparator(char c) {
    return c == ':' || c == '=' || c == '：';
  }

  private static boolean isDelimiter(char c) {
    return Character.isWhitespace(c) || ",;&|\"'<>()[]{}，；。、（）【】".indexOf(c) >= 0;
  }

  private static boolean personalKey(String key) {
    return PersonalData.isPersonal(key);
  }

  private static String numbers(String s) {
    s = replace(s, ID_18, n -> residentId18(n) ? ID_NUMBER : null);
    s = replace(s, CARD, n -> luhn(n.replaceAll("[ \\-]", "")) ? CARD_NUMBER : null);
    s = replace(s, DIGITS_15, n -> residentId15(n) ? ID_NUMBER : null);
    return replace(s, MOBILE, n -> PHONE);
  }

  private static String replace(String s, Pattern p, java.util.function.Function<String, String> marker) {
    Matcher m = p.matcher(s);
    StringBuilder out = null;
    int copied = 0;
    while (m.find()) {
      String replacement = marker.apply(m.group());
      if (replacement == null) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s.length());
      }
      out.append(s, copied, m.start()).append(replacement);
      copied = m.end();
    }
    return out == null ? s : out.append(s, copied, s.length()).toString();
  }

  /** GB 11643-1999: birth date plausible and the ISO 7064 MOD 11-2 check character right. */
  static boolean residentId18(String n) {
    if (!plausibleArea(n) || !plausibleDate(n.substring(6, 10), n.substring(10, 12), n.substring(12, 14), 4)) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (n.charAt(i) - '0') * ID_WEIGHTS[i];
    }
    return Character.toUpperCase(n.charAt(17)) == ID_CHECK[sum % 11];
  }

  /** The 15-digit form: area code, two-digit year, month, day, sequence; no check character. */
  static boolean residentId15(String n) {
    return plausibleArea(n) && plausibleDate(n.substring(6, 8), n.substring(8, 10), n.substring(10, 12), 2);
  }

  private static boolean plausibleArea(String n) {
    int province = (n.charAt(0) - '0') * 10 + (n.charAt(1) - '0');
    return province >= 11 && province <= 82;
  }

  private static boolean plausibleDate(String year, String month, String day, int yearDigits) {
    int y = Integer.parseInt(year);
    int m = Integer.parseInt(month);
    int d = Integer.parseInt(day);
    boolean yearOk = yearDigits == 2 || (y >= 1900 && y <= 2099);
    return yearOk && m >= 1 && m <= 12 && d >= 1 && d <= 31;
  }

  static boolean luhn(String digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }
}
