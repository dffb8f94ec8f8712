package io.commguard.gateway.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * {@code log.format: json}: one JSON object per line, for a log shipper (Vector, Fluent Bit,
 * journald's JSON export): {@code {"time":"2026-11-22T10:00:00.123+08:00","level":"INFO",
 * "logger":"…","thread":"…","message":"…"}}, plus {@code "error"} with the stack trace when there
 * is one. Jackson escapes every control character, so a record is always exactly one line.
 */
public final class JsonLineLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
  private final JsonFactory json = new JsonFactory();
  private final ZoneId zone = ZoneId.systemDefault();

  @Override
  public String doLayout(ILoggingEvent event) {
    StringWriter out = new StringWriter(200);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("time", TIME.format(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone)));
      g.writeStringField("level", event.getLevel().toString());
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("thread", event.getThreadName());
      g.writeStringField("message", event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        g.writeStringField("error", ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.append(CoreConstants.LINE_SEPARATOR).toString();
  }
}
