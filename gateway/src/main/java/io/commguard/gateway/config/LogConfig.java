package io.commguard.gateway.config;

/**
 * How the gateway writes its log (to standard error, where systemd's journal or the container
 * runtime collects it).
 *
 * @param format {@code text}: one line per record, local time with its UTC offset, level, logger,
 *     message; {@code json}: one JSON object per line, for a log shipper
 */
public record LogConfig(Format format) {
  public static final LogConfig DEFAULTS = new LogConfig(null);

  public enum Format { TEXT, JSON }

  public LogConfig {
    format = format == null ? Format.TEXT : format;
  }
}
