package io.commguard.gateway.profile.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoTimesTest {

  @Property(tries = 2000)
  void agreesWithTheJdkOnEveryOffsetTime(@ForAll("offsetTimes") String text) {
    IsoTimes.Parsed p = IsoTimes.fast(text);
    assertThat(p).isNotNull();
    assertThat(p.dateTime().toInstant(p.offset())).isEqualTo(OffsetDateTime.parse(text).toInstant());
  }

  @Property(tries = 1000)
  void agreesWithTheJdkOnEveryLocalTime(@ForAll("offsetTimes") String withOffset) {
    String text = OffsetDateTime.parse(withOffset).toLocalDateTime().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    IsoTimes.Parsed p = IsoTimes.fast(text);
    assertThat(p).isNotNull();
    assertThat(p.offset()).isNull();
    assertThat(p.dateTime()).isEqualTo(LocalDateTime.parse(text));
  }

  @Provide
  Arbitrary<String> offsetTimes() {
    Arbitrary<Long> seconds = Arbitraries.longs().between(0, 4_102_444_800L);
    Arbitrary<Integer> nanos = Arbitraries.of(0, 500_000_000, 123_000_000, 120_000, 7);
    Arbitrary<Integer> offsets = Arbitraries.integers().between(-18 * 4, 18 * 4).map(q -> q * 15 * 60);
    return Combinators.combine(seconds, nanos, offsets).as((s, n, o) ->
        OffsetDateTime.ofInstant(Instant.ofEpochSecond(s, n), ZoneOffset.ofTotalSeconds(o))
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-22T10:15+08:00", "+12026-11-22T10:15:30Z", "2026-11-22T10:15:30.Z",
      "2026-11-22T10:15:30+08:00[Asia/Shanghai]", "2026-11-22T10:15:30+0800"})
  void leavesRareShapesToTheJdk(String text) {
    assertThat(IsoTimes.fast(text)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-02-30T10:15:30+08:00", "2026-13-01T10:15:30Z", "2026-11-22T24:15:30Z",
      "2026-11-22T10:15:60"})
  void outOfRangeFieldsAreRejectedAsTheJdkDoes(String text) {
    assertThatThrownBy(() -> DateTimeFormatter.ISO_DATE_TIME.parse(text)).isInstanceOf(DateTimeException.class);
    assertThatThrownBy(() -> IsoTimes.fast(text)).isInstanceOf(DateTimeException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-22T10:15:30+19:00", "2026-11-22T10:15:30.1234567890Z", "2026-11-22 10:15:30Z",
      "2026-1x-22T10:15:30Z", "2026-11-22T10:15:30Q"})
  void malformedShapesAreNotAccepted(String text) {
    assertThatThrownBy(() -> DateTimeFormatter.ISO_DATE_TIME.parse(text)).isInstanceOf(DateTimeException.class);
    assertThat(IsoTimes.fast(text)).isNull();
  }
}
