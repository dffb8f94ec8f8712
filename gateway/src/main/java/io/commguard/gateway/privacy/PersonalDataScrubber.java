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
    String s = text.indexOf("://") >= 0 ? urls(text, false) : text;
    s = keyValues(s);
    return digits(s) >= 11 ? numbers(s) : s;
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
    String s = ref.indexOf("://") >= 0 ? urls(ref, true) : ref;
    return digits(s) >= 11 ? numbers(s) : s;
  }

  /** Every rule for numbers needs at least 11 digits (a mobile number); fewer cannot match. */
  private static int digits(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        n++;
      }
    }
    return n;
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

  /**
   * Replaces the values of personal keys. A scan from each separator back to its key, not a regex
   * search: this runs on every decoded text attribute, and a regex tried at every position of a
   * timestamp cost more than the rest of the decoding.
   */
  private static String keyValues(String s) {
    if (hasHan(s)) {
      s = CHINESE_NAME_GLUED.matcher(s).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + REDACTED));
    }
    StringBuilder out = null;
    int copied = 0;
    int from = 0;
    for (int sep = nextSeparator(s, from); sep >= 0; sep = nextSeparator(s, Math.max(sep + 1, from))) {
      int keyStart = keyStart(s, sep, from);
      if (keyStart < 0) {
        continue;
      }
      int valueStart = sep + 1;
      while (valueStart < s.length() && isSpace(s.charAt(valueStart))) {
        valueStart++;
      }
      String quote = valueStart < s.length() && isQuote(s.charAt(valueStart)) ? s.substring(valueStart, ++valueStart) : "";
      String key = s.substring(keyStart, keyEnd(s, sep));
      int valueEnd = personalKey(key) ? valueEnd(s, valueStart, quote) : valueStart;
      from = valueEnd;
      if (valueEnd == valueStart) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s.length());
      }
      out.append(s, copied, valueStart).append(REDACTED);
      copied = valueEnd;
    }
    if (out == null) {
      return s;
    }
    return out.append(s, copied, s.length()).toString();
  }

  private static int nextSeparator(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (isSeparator(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** End of the key before a separator: before the spaces and the one quote that may follow it. */
  private static int keyEnd(String s, int sep) {
    int i = sep;
    while (i > 0 && isSpace(s.charAt(i - 1))) {
      i--;
    }
    return i > 0 && isQuote(s.charAt(i - 1)) ? i - 1 : i;
  }

  /**
   * Start of the key (1–{@value #MAX_KEY} letters, digits or {@code _.-}) that ends before {@code
   * sep}, not before {@code from}; -1 when there is none.
   */
  private static int keyStart(String s, int sep, int from) {
    int end = keyEnd(s, sep);
    int i = end;
    while (i > from && end - i < MAX_KEY && isKeyChar(s.charAt(i - 1))) {
      i--;
    }
    return i < end ? i : -1;
  }

  private static final int MAX_KEY = 48;

  private static boolean isKeyChar(char c) {
    if (c == '_' || c == '.' || c == '-' || Character.isLetter(c)) {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'';
  }

  /** What {@code \\s} matches. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  private static boolean hasHan(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x3400) {
        return true;
      }
    }
    return false;
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
