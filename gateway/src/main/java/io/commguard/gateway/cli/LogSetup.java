package io.commguard.gateway.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.commguard.gateway.config.LogConfig;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The one log the gateway writes. Its own code logs through {@link System.Logger} and Paho through
 * java.util.logging, both bridged here to SLF4J, where Vert.x and the Modbus library log directly;
 * Logback writes them all in the format the config chooses (JUL's levels follow Logback's, so a
 * record below the level costs no bridging).
 */
final class LogSetup {
  private LogSetup() {}

  /** Routes java.util.logging to the same log; once, before anything logs. */
  static void bridgeJavaUtilLogging() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  /** Switches the log to the configured format (the text format is already in place from logback.xml). */
  static void apply(LogConfig config) {
    if (config.format() == LogConfig.Format.TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    LayoutBase<ILoggingEvent> layout = new JsonLineLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("STDERR");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }
}
