package io.commguard.gateway.source.modbus;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.exceptions.ModbusCrcException;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.exceptions.ModbusTimeoutException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Maps a failed request to the short reason used as counter label and in log lines. */
final class ErrorReason {
  static final String TIMEOUT = "timeout";
  static final String ILLEGAL_DATA_ADDRESS = "exception_illegal_data_address";
  static final String SHORT_RESPONSE = "short_response";
  static final String UNIT_ID_MISMATCH = "unit_id_mismatch";
  static final String CONNECT_FAILED = "connect_failed";
  static final String CONNECTION = "connection";
  static final String PORT_BLOCKED = "port_blocked";

  private ErrorReason() {}

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The cause's message, or its class name when it has none (a bare timeout). */
  static String detail(Throwable error) {
    Throwable t = unwrap(error);
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  static String of(Throwable error) {
    Throwable t = unwrap(error);
    if (t instanceof TimeoutException || t instanceof ModbusTimeoutException) {
      return TIMEOUT;
    }
    if (t instanceof ModbusResponseException e) {
      return "exception_" + ExceptionCode.from(e.getExceptionCode())
          .map(c -> c.name().toLowerCase(Locale.ROOT))
          .orElse("code_" + e.getExceptionCode());
    }
    if (t instanceof ModbusCrcException) {
      return "crc_error";
    }
    if (t instanceof LinkIo.PortBlockedException) {
      return PORT_BLOCKED;
    }
    if (t instanceof ShortResponseException) {
      return SHORT_RESPONSE;
    }
    if (t instanceof ConnectFailedException) {
      return CONNECT_FAILED;
    }
    if (t instanceof LinkPoller.BusyException) {
      return "busy";
    }
    if (t instanceof LinkPoller.LinkStoppedException) {
      return "stopped";
    }
    String message = String.valueOf(t.getMessage());
    if (message.startsWith("slave id mismatch")) {
      return UNIT_ID_MISMATCH;
    }
    if (message.startsWith("function code mismatch") || message.startsWith("synchronization error")
        || message.startsWith("unexpected function code")) {
      return "out_of_sync";
    }
    if (t instanceof ClosedChannelException || t instanceof IOException
        || message.startsWith("not connected") || message.startsWith("not reconnected")
        || message.startsWith("failed to write to port") || message.startsWith("failed to open port")) {
      return CONNECTION;
    }
    if (t instanceof IndexOutOfBoundsException || t instanceof java.nio.BufferUnderflowException) {
      return "malformed_response";
    }
    return "other";
  }

  /** A response holding fewer registers or bits than were asked for. */
  static final class ShortResponseException extends Exception {
    private static final long serialVersionUID = 1L;

    ShortResponseException(String message) {
      super(message, null, false, false);
    }
  }

  /** The link could not be connected or its port opened; the detail says why. */
  static final class ConnectFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    ConnectFailedException(String message) {
      super(message, null, false, false);
    }
  }
}
