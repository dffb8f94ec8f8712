package io.commguard.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class UntrustedTest {
  @Test
  void label_escapesLineBreaksAndLabelDelimiters_andTruncates() {
    assertThat(Untrusted.label("cam-1")).isEqualTo("cam-1");
    assertThat(Untrusted.label("x\nINFO forged")).isEqualTo("x\\x0aINFO forged");
    assertThat(Untrusted.label("a,reason=ok}")).isEqualTo("a\\x2creason\\x3dok\\x7d");
    assertThat(Untrusted.label("张三")).isEqualTo("\\u5f20\\u4e09");
    String cut = Untrusted.label("y".repeat(60_000));
    assertThat(cut).hasSizeLessThan(100).endsWith("...(60000 chars)");
  }

  @Test
  void pseudonym_stableWithinTheProcess_andRevealsNothing() {
    String name = "张三110101199003074514";
    assertThat(Untrusted.pseudonym(name)).isEqualTo(Untrusted.pseudonym(name)).startsWith("anon-")
        .doesNotContain("110101").hasSize(17);
    assertThat(Untrusted.pseudonym(name)).isNotEqualTo(Untrusted.pseudonym(name + "x"));
  }

  @Test
  void counters_capSeriesWithAnOverflowBucket_andLabelSize() {
    Counters c = new Counters();
    for (int i = 0; i < Counters.MAX_SERIES + 5_000; i++) {
      c.increment("rejected", "dev-" + i + "-" + "z".repeat(1000), "unknown_device");
    }
    assertThat(c.series()).isEqualTo(Counters.MAX_SERIES + 1);
    assertThat(c.get("rejected", Untrusted.OVERFLOW, "unknown_device")).isEqualTo(5_000);
    assertThat(c.snapshot().keySet()).allSatisfy(k -> assertThat(k).hasSizeLessThan(200));
  }

  @Test
  void rateLimitedLog_capsKeys_andKeepsEachMessageOnOneLine() {
    List<String> lines = new CopyOnWriteArrayList<>();
    RateLimitedLog log = new RateLimitedLog(recorder(lines), 60_000);
    for (int i = 0; i < 5_000; i++) {
      log.log(Level.WARNING, "key-" + i, "line " + i + "\nFORGED");
    }
    assertThat(log.keys()).isLessThanOrEqualTo(RateLimitedLog.MAX_KEYS + 1);
    assertThat(lines).hasSize(RateLimitedLog.MAX_KEYS + 1).allSatisfy(l -> assertThat(l).doesNotContain("\n"));
  }

  private static Logger recorder(List<String> lines) {
    return new Logger() {
      @Override
      public String getName() {
        return "test";
      }

      @Override
      public boolean isLoggable(Level level) {
        return true;
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        lines.add(msg);
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        lines.add(format);
      }
    };
  }
}
