package io.commguard.gateway.source.stream;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Splits an endless {@code multipart/*} body into its parts as bytes arrive, whatever the TCP
 * reads cut: a part's end is found by matching the delimiter ({@code LF "--" boundary}) byte by
 * byte with a failure table, so a delimiter split over any number of reads is still found and no
 * read is copied to look ahead. Memory is bounded: a part's headers by {@code maxHeaderBytes}, its
 * body by the limit the listener sets for it from its headers; a part the listener does not want
 * and one that grows past its limit are skipped without being kept. Not thread-safe: one stream,
 * one thread.
 */
final class MultipartParser {
  /** What to do with a part, decided from its headers: keep at most {@code maxBytes} of its body, or none. */
  record Disposition(long maxBytes) {
    static final Disposition DISCARD = new Disposition(0);

    static Disposition keep(long maxBytes) {
      return new Disposition(maxBytes);
    }
  }

  /** Why a part was not handed over whole. */
  enum Skip {
    /** The listener did not want it (a picture). */
    DISCARDED,
    /** Its body passed the limit its disposition set. */
    OVERSIZED,
    /** Its headers passed {@code maxHeaderBytes} or never ended before the next delimiter. */
    MALFORMED_HEADERS
  }

  /** Hears the parts of one stream. */
  interface Listener {
    /** How much of the part that starts with {@code headers} (lower-case names) to keep, if any. */
    Disposition begin(Map<String, String> headers);

    /** A whole part kept by {@link #begin}, its trailing CR removed. */
    void part(Map<String, String> headers, byte[] body);

    /** A part that was not kept: {@code bytes} is its body size as far as it was read. */
    void skipped(Map<String, String> headers, long bytes, Skip reason);
  }

  private enum State { PREAMBLE, BOUNDARY_LINE, HEADERS, BODY, AFTER_BODY, END }

  private static final int MAX_HEADERS = 32;

  private final byte[] delimiter;
  private final int[] fallback;
  private final int maxHeaderBytes;
  private final Listener listener;

  private State state = State.PREAMBLE;
  /** Delimiter bytes matched so far; starts at 1 so a delimiter at the very start is found. */
  private int matched = 1;
  private int boundaryLineBytes;
  private boolean closing;
  private byte[] header = new byte[256];
  private int headerLength;
  private int lineStart;
  private Map<String, String> headers = Map.of();
  private long maxBodyBytes;
  private Skip skip;
  private Buffer body;
  private long bodyBytes;
  private long declared;
  private boolean lastWasCr;

  /**
   * @param boundary the boundary parameter of the stream's content type; a value that already
   *     starts with {@code --} is taken as the whole delimiter line, as some firmwares write it
   */
  MultipartParser(String boundary, int maxHeaderBytes, Listener listener) {
    String line = boundary.startsWith("--") ? boundary : "--" + boundary;
    this.delimiter = ("\n" + line).getBytes(StandardCharsets.ISO_8859_1);
    this.fallback = failureTable(delimiter);
    this.maxHeaderBytes = maxHeaderBytes;
    this.listener = listener;
  }

  /** True once the closing delimiter was read. */
  boolean ended() {
    return state == State.END;
  }

  /** Consumes the next bytes of the stream. */
  void feed(Buffer data) {
    int n = data.length();
    for (int i = 0; i < n && state != State.END; i++) {
      byte b = data.getByte(i);
      while (matched > 0 && delimiter[matched] != b) {
        int keep = fallback[matched - 1];
        for (int j = 0; j < matched - keep; j++) {
          accept(delimiter[j]);
        }
        matched = keep;
      }
      if (delimiter[matched] == b) {
        matched++;
        if (matched == delimiter.length) {
          matched = 0;
          delimiterFound();
        }
      } else {
        accept(b);
      }
      if (state == State.BODY && declared > 0 && matched > 0 && bodyBytes + matched == declared) {
        // The body's last bytes look like a delimiter's start (a trailing LF): they complete the
        // declared length, and stay matched in case the device counted the CRLF before the delimiter.
        for (int j = 0; j < matched && state == State.BODY; j++) {
          bodyByte(delimiter[j]);
        }
      }
    }
  }

  private void delimiterFound() {
    switch (state) {
      case HEADERS -> listener.skipped(Map.copyOf(headers), 0, Skip.MALFORMED_HEADERS);
      case BODY -> finishPart(true);
      default -> { }
    }
    state = State.BOUNDARY_LINE;
    boundaryLineBytes = 0;
    closing = false;
  }

  /** A byte that is not part of a delimiter, in the current state. */
  private void accept(byte b) {
    switch (state) {
      case PREAMBLE, AFTER_BODY, END -> { }
      case BOUNDARY_LINE -> boundaryLine(b);
      case HEADERS -> headerByte(b);
      case BODY -> bodyByte(b);
    }
  }

  /** The rest of a delimiter line: {@code --} closes the stream, anything else up to LF is padding. */
  private void boundaryLine(byte b) {
    boundaryLineBytes++;
    if (boundaryLineBytes == 1) {
      closing = b == '-';
    } else if (boundaryLineBytes == 2 && closing && b == '-') {
      state = State.END;
      return;
    }
    if (b == '\n') {
      state = State.HEADERS;
      headerLength = 0;
      lineStart = 0;
      headers = new LinkedHashMap<>();
    }
  }

  private void headerByte(byte b) {
    if (headerLength >= maxHeaderBytes) {
      return; // Too long: reported when the next delimiter comes, never kept.
    }
    if (headerLength == header.length) {
      header = java.util.Arrays.copyOf(header, Math.min(header.length * 2, maxHeaderBytes));
    }
    header[headerLength++] = b;
    if (b != '\n') {
      return;
    }
    int end = headerLength - 1;
    if (end > lineStart && header[end - 1] == '\r') {
      end--;
    }
    if (end == lineStart) {
      startBody();
      return;
    }
    String line = new String(header, lineStart, end - lineStart, StandardCharsets.ISO_8859_1);
    int colon = line.indexOf(':');
    if (colon > 0 && headers.size() < MAX_HEADERS) {
      headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    lineStart = headerLength;
  }

  private void startBody() {
    headers = Map.copyOf(headers);
    state = State.BODY;
    bodyBytes = 0;
    lastWasCr = false;
    maxBodyBytes = listener.begin(headers).maxBytes();
    skip = maxBodyBytes <= 0 ? Skip.DISCARDED : null;
    declared = declaredLength(headers);
    if (skip == null && declared > maxBodyBytes) {
      skip = Skip.OVERSIZED;
    }
    body = skip == null ? Buffer.buffer((int) Math.min(Math.max(declared, 64), maxBodyBytes)) : null;
    if (declared == 0) {
      finishPart(false);
    }
  }

  private void bodyByte(byte b) {
    bodyBytes++;
    lastWasCr = b == '\r';
    if (skip == null && bodyBytes > maxBodyBytes) {
      skip = Skip.OVERSIZED;
      body = null;
    }
    if (skip == null) {
      body.appendByte(b);
    }
    if (bodyBytes == declared) {
      finishPart(false);
    }
  }

  /**
   * Hands over the part that just ended: at its Content-Length, so an event is not held back until
   * the next part starts (bytes up to the next delimiter are then ignored), or at the delimiter
   * when it declared no length (the CR before the delimiter's LF is not part of the body).
   */
  private void finishPart(boolean atDelimiter) {
    long size = atDelimiter && lastWasCr ? bodyBytes - 1 : bodyBytes;
    if (skip != null) {
      listener.skipped(headers, size, skip);
    } else {
      listener.part(headers, body.getBytes(0, (int) size));
    }
    body = null;
    state = State.AFTER_BODY;
  }

  /** The part's Content-Length, or -1 when absent or not a number. */
  static long declaredLength(Map<String, String> headers) {
    String value = headers.get("content-length");
    if (value == null || value.isEmpty() || value.length() > 18) {
      return -1;
    }
    for (int i = 0; i < value.length(); i++) {
      if (!Character.isDigit(value.charAt(i))) {
        return -1;
      }
    }
    return Long.parseLong(value);
  }

  /** Knuth-Morris-Pratt: for each prefix length i+1, the longest proper prefix that is also its suffix. */
  private static int[] failureTable(byte[] pattern) {
    int[] table = new int[pattern.length];
    int k = 0;
    for (int i = 1; i < pattern.length; i++) {
      while (k > 0 && pattern[i] != pattern[k]) {
        k = table[k - 1];
      }
      if (pattern[i] == pattern[k]) {
        k++;
      }
      table[i] = k;
    }
    return table;
  }
}
