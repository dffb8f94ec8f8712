package io.commguard.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The two log formats keep one record on one line, whatever a message holds. */
class LogLayoutsTest {
  private final LoggerContext context = new LoggerContext();

  @Test
  void text_lineBreakInAMessage_isEscaped_soNoLineCanBeForged() {
    String line = new TextLineLayout().doLayout(event("Refused topic=a\nINFO  io.commguard.Forged accepted\r", null));
    assertThat(line.lines()).hasSize(1);
    assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} WARN  gw\\.test "
        + "Refused topic=a\\\\nINFO  io\\.commguard\\.Forged accepted\\\\r\\R");
  }

  @Test
  void json_oneObjectPerLine_withTheStackTraceInside() throws Exception {
    String line = new JsonLineLayout().doLayout(event("two\nlines \"quoted\"", new IllegalStateException("boom")));
    assertThat(line.lines()).hasSize(1);
    JsonNode record = new ObjectMapper().readTree(line);
    assertThat(record.get("message").asText()).isEqualTo("two\nlines \"quoted\"");
    assertThat(record.get("level").asText()).isEqualTo("WARN");
    assertThat(record.get("logger").asText()).isEqualTo("gw.test");
    assertThat(record.get("time").asText()).matches(".*T.*[+-]\\d\\d:\\d\\d");
    assertThat(record.get("error").asText()).contains("IllegalStateException: boom").contains("\tat ");
  }

  private LoggingEvent event(String message, Throwable error) {
    return new LoggingEvent("test", context.getLogger("gw.test"), Level.WARN, message, error, null);
  }
}
