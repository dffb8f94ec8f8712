package io.commguard.gateway.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated personal numbers and names embedded in arbitrary text never survive the scrubber;
 * ordinary gateway text (codes, times, readings, IMEIs) passes unchanged.
 */
class PersonalDataScrubberTest {
  private static final char[] ID_CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

  @Property(tries = 500)
  void residentIdNumbers_neverSurvive(@ForAll("residentIds") String id, @ForAll("text") String before,
      @ForAll("text") String after) {
    String out = PersonalDataScrubber.scrubText(before + id + after);
    assertThat(out).doesNotContain(id).doesNotContain(id.substring(0, 17));
  }

  @Property(tries = 300)
  void residentIdNumbers_inPlainText_becomeTheMarker(@ForAll("residentIds") String id, @ForAll("plain") String before,
      @ForAll("plain") String after) {
    assertThat(PersonalDataScrubber.scrubText(before + id + after))
        .isEqualTo(before + PersonalDataScrubber.ID_NUMBER + after);
  }

  @Property(tries = 300)
  void oldFifteenDigitIds_neverSurvive(@ForAll("oldResidentIds") String id, @ForAll("text") String before,
      @ForAll("text") String after) {
    assertThat(PersonalDataScrubber.scrubText(before + id + after)).doesNotContain(id);
  }

  @Property(tries = 500)
  void mobileNumbers_neverSurvive(@ForAll("mobiles") String mobile, @ForAll("text") String before,
      @ForAll("text") String after) {
    String out = PersonalDataScrubber.scrubText(before + mobile + after);
    assertThat(digits(out)).doesNotContain(digits(mobile).substring(digits(mobile).length() - 11));
  }

  @Property(tries = 500)
  void bankCardNumbers_neverSurvive(@ForAll("cards") String card, @ForAll("text") String before,
      @ForAll("text") String after) {
    String out = PersonalDataScrubber.scrubText(before + card + after);
    assertThat(digits(out)).doesNotContain(digits(card));
  }

  @Property(tries = 500)
  void valuesOfNameLikeKeys_neverSurvive(@ForAll("nameKeys") String key, @ForAll("separators") String separator,
      @ForAll("names") String name, @ForAll("plain") String before, @ForAll("tails") String after) {
    String out = PersonalDataScrubber.scrubText(before + " " + key + separator + name + after);
    assertThat(out).doesNotContain(name).contains(key);
  }

  @Property(tries = 300)
  void urlQueryStrings_areRemovedFromText_butReferencesKeepTheirHarmlessParameters(
      @ForAll("names") String name, @ForAll("residentIds") String id) {
    String url = "http://10.20.3.30/ISAPI/pic?starttime=20261122T072955Z&name=" + name.replace(' ', '+') + "&idNo=" + id;
    assertThat(PersonalDataScrubber.scrubText("see " + url + " now"))
        .isEqualTo("see http://10.20.3.30/ISAPI/pic?[query] now");
    assertThat(PersonalDataScrubber.scrubReference(url))
        .isEqualTo("http://10.20.3.30/ISAPI/pic?starttime=20261122T072955Z&name=[redacted]&idNo=[id-number]");
  }

  @Property(tries = 300)
  void textWithoutPersonalData_isUnchanged(@ForAll("plain") String text) {
    assertThat(PersonalDataScrubber.scrubText(text)).isEqualTo(text);
  }

  @Example
  void gatewayTexts_passUnchanged() {
    for (String s : new String[] {"fielddetection", "5/0x1b", "868120300012345", "2026-11-22T07:59:59+08:00",
        "concentration 31.5 %LEL", "channelName: Building 7 facade", "epoch 1795336045500", "烟感报警 3号楼 2单元",
        "设备名称：一号楼烟感", "http://10.20.3.50/pic/anpr-77.jpg", "sensor 3 of 12345678901234567890a"}) {
      assertThat(PersonalDataScrubber.scrubText(s)).as(s).isEqualTo(s);
    }
  }

  @Example
  void typicalLeaks_areScrubbed() {
    assertThat(PersonalDataScrubber.scrubText("报警人姓名：张三，身份证号110105199003071239，电话13812345678"))
        .isEqualTo("报警人姓名：[redacted]，身份证号[id-number]，电话[phone]");
    assertThat(PersonalDataScrubber.scrubText("姓名张三 在3号楼")).isEqualTo("姓名[redacted] 在3号楼");
    assertThat(PersonalDataScrubber.scrubText("{\"personName\":\"Wang Wu\",\"cardNo\":\"6222021234567890128\"}"))
        .isEqualTo("{\"personName\":\"[redacted]\",\"cardNo\":\"[redacted]\"}");
    assertThat(PersonalDataScrubber.scrubText("name=Zhang San reported smoke")).isEqualTo("name=[redacted] reported smoke");
    assertThat(PersonalDataScrubber.scrubText("call +86 138-1234-5678 or 6222 0212 3456 7890 128"))
        .isEqualTo("call [phone] or [card-number]");
    assertThat(PersonalDataScrubber.scrubReference("http://192.168.1.64/picture/Streaming/tracks/203/?name=ch01_08000000017000&size=231104"))
        .as("a picture's own name stays").isEqualTo("http://192.168.1.64/picture/Streaming/tracks/203/?name=ch01_08000000017000&size=231104");
    assertThat(PersonalDataScrubber.scrubReference("rtsp://admin:secret@10.0.0.5/Streaming/101"))
        .isEqualTo("rtsp://[redacted]@10.0.0.5/Streaming/101");
  }

  @Provide
  Arbitrary<String> residentIds() {
    Arbitrary<Integer> area = Arbitraries.integers().between(110000, 829999);
    Arbitrary<Integer> year = Arbitraries.integers().between(1900, 2099);
    Arbitrary<Integer> month = Arbitraries.integers().between(1, 12);
    Arbitrary<Integer> day = Arbitraries.integers().between(1, 28);
    Arbitrary<Integer> seq = Arbitraries.integers().between(0, 999);
    return Combinators.combine(area, year, month, day, seq).as((a, y, m, d, s) -> {
      String body = String.format("%06d%04d%02d%02d%03d", a, y, m, d, s);
      int sum = 0;
      for (int i = 0; i < 17; i++) {
        sum += (body.charAt(i) - '0') * ID_WEIGHTS[i];
      }
      return body + ID_CHECK[sum % 11];
    });
  }

  @Provide
  Arbitrary<String> oldResidentIds() {
    return Combinators.combine(Arbitraries.integers().between(110000, 829999), Arbitraries.integers().between(0, 99),
        Arbitraries.integers().between(1, 12), Arbitraries.integers().between(1, 28), Arbitraries.integers().between(0, 999))
        .as((a, y, m, d, s) -> String.format("%06d%02d%02d%02d%03d", a, y, m, d, s));
  }

  @Provide
  Arbitrary<String> mobiles() {
    Arbitrary<String> number = Combinators.combine(Arbitraries.integers().between(3, 9),
        Arbitraries.strings().numeric().ofLength(9)).as((second, rest) -> "1" + second + rest);
    Arbitrary<String> prefix = Arbitraries.of("", "+86", "+86 ", "0086", "86-");
    Arbitrary<Boolean> grouped = Arbitraries.of(true, false);
    return Combinators.combine(prefix, number, grouped).as((p, n, g) ->
        p + (g ? n.substring(0, 3) + "-" + n.substring(3, 7) + "-" + n.substring(7) : n));
  }

  @Provide
  Arbitrary<String> cards() {
    Arbitrary<String> body = Arbitraries.integers().between(15, 18)
        .flatMap(len -> Arbitraries.strings().numeric().ofLength(len)).map(b -> "62" + b.substring(2));
    return Combinators.combine(body, Arbitraries.of(true, false)).as((b, grouped) -> {
      String card = b + luhnDigit(b);
      if (!grouped) {
        return card;
      }
      StringBuilder g = new StringBuilder();
      for (int i = 0; i < card.length(); i += 4) {
        g.append(i == 0 ? "" : " ").append(card, i, Math.min(card.length(), i + 4));
      }
      return g.toString();
    });
  }

  @Provide
  Arbitrary<String> nameKeys() {
    return Arbitraries.of("姓名", "名字", "name", "personName", "fullName", "realName", "联系人", "户主姓名", "Name");
  }

  @Provide
  Arbitrary<String> separators() {
    return Arbitraries.of("=", ": ", "：", "\":\"", "\" : \"", "='", "=");
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> chinese = Arbitraries.strings().withCharRange('\u4e00', '\u9fa5').ofMinLength(2).ofMaxLength(3);
    Arbitrary<String> english = Combinators.combine(capitalised(), capitalised()).as((a, b) -> a + " " + b);
    return Arbitraries.oneOf(chinese, english);
  }

  private static Arbitrary<String> capitalised() {
    return Combinators.combine(Arbitraries.chars().range('A', 'Z'), Arbitraries.strings().withCharRange('a', 'z')
        .ofMinLength(2).ofMaxLength(7)).as((c, rest) -> c + rest);
  }

  /** What may follow a value: a delimiter, then anything. */
  @Provide
  Arbitrary<String> tails() {
    return Combinators.combine(Arbitraries.of("", ",", ";", "\"", "'", " ", "，", "&"), text()).as((d, t) -> d.isEmpty() ? "" : d + t);
  }

  /** Arbitrary text that does not touch an embedded number with a digit. */
  @Provide
  Arbitrary<String> text() {
    return Arbitraries.strings().all().ofMaxLength(30).map(s -> " " + s.replaceAll("^\\d+|\\d+$", "") + " ")
        .map(s -> s.replaceAll("\\d(?=\\s$)|(?<=^\\s)\\d", ""));
  }

  /** Text without digits runs, separators, URLs or Chinese: nothing for the scrubber to find. */
  @Provide
  Arbitrary<String> plain() {
    return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz ABCXYZ.,-_/%()!").ofMaxLength(40);
  }

  private static String digits(String s) {
    return s.replaceAll("\\D", "");
  }

  private static int luhnDigit(String body) {
    int sum = 0;
    boolean twice = true;
    for (int i = body.length() - 1; i >= 0; i--) {
      int d = body.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return (10 - sum % 10) % 10;
  }
}
