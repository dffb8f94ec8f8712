package io.commguard.gateway.source.httppush;

import io.commguard.gateway.evidence.EvidenceStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pushed request body split into its event documents and its pictures, the way Hikvision and
 * Dahua firmware send them: a bare XML, JSON or {@code Code=…} text body, or multipart
 * ({@code form-data}, {@code mixed}) with the event part first and picture parts after it.
 *
 * <p>Firmware is lax, so this is tolerant where a strict multipart decoder would refuse real
 * devices: a missing or odd content type (the boundary is then read from the body's first line),
 * part names that are the event type ({@code linedetection}), a file name
 * ({@code MoveDetection.xml}, {@code anpr.xml}) or {@code event_log}, parts without a content type,
 * delimiters after a bare {@code \n}, and a missing closing delimiter. A part is a picture when its
 * bytes are an image or it says {@code image/*}; an event when it says XML, JSON or text, has such a
 * file name, or its bytes start like one; anything else is ignored and counted. The body is already
 * bounded by the listener, and parts are capped at {@link #MAX_PARTS}.
 */
final class PushBody {
  static final int MAX_PARTS = 16;
  private static final int MAX_PART_HEADER_BYTES = 8192;
  private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary\\s*=\\s*(\"([^\"]{1,200})\"|[^;\\s]{1,200})");
  private static final Pattern PARAM = Pattern.compile("(?i);\\s*(name|filename)\\s*=\\s*(\"([^\"]*)\"|[^;\\s]*)");
  private static final Pattern HEARTBEAT = Pattern.compile("(?i)eventType\\W{0,4}heartBeat");

  /** A part of a multipart body, or the whole of a plain body (then without name). */
  record Part(String name, String fileName, String contentType, byte[] bytes) {
    /** True when the sender names it as a face picture ({@code faceImage}, {@code FacePicture.jpg}, …). */
    boolean namedAsFace() {
      return contains(name, "face") || contains(fileName, "face");
    }

    private static boolean contains(String text, String word) {
      return text != null && text.toLowerCase(Locale.ROOT).contains(word);
    }
  }

  /** The event documents (at least one), the picture parts, and how many parts were neither. */
  record Parsed(List<Part> events, List<Part> pictures, int ignored) {}

  /** A body that holds no event a profile could decode; {@code reason} is a counter label. */
  static final class BadBody extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;

    BadBody(String reason) {
      super(reason, null, false, false);
      this.reason = reason;
    }
  }

  private PushBody() {}

  static Parsed parse(String contentType, byte[] body) throws BadBody {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    String boundary = boundaryOf(contentType);
    if (boundary == null && (type.startsWith("multipart/") || type.isEmpty() || startsWith(body, 0, "--"))) {
      boundary = sniffedBoundary(body);
    }
    if (boundary == null) {
      if (type.startsWith("multipart/")) {
        throw new BadBody("malformed_multipart");
      }
      return classify(List.of(new Part(null, null, contentType, body)));
    }
    return classify(split(body, ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1)));
  }

  /** True when the event document is a keep-alive (Hikvision's {@code heartBeat} event), not an event. */
  static boolean heartbeat(byte[] event) {
    String head = new String(event, 0, Math.min(event.length, 2048), StandardCharsets.ISO_8859_1);
    return HEARTBEAT.matcher(head).find();
  }

  private static String boundaryOf(String contentType) {
    if (contentType == null) {
      return null;
    }
    Matcher m = BOUNDARY.matcher(contentType);
    return m.find() ? (m.group(2) != null ? m.group(2) : m.group(1)) : null;
  }

  /** The boundary from a body whose first non-empty line is {@code --<boundary>}. */
  private static String sniffedBoundary(byte[] body) {
    int start = 0;
    while (start < body.length && (body[start] == '\r' || body[start] == '\n')) {
      start++;
    }
    if (!startsWith(body, start, "--")) {
      return null;
    }
    int end = start + 2;
    while (end < body.length && end - start < 204 && body[end] != '\r' && body[end] != '\n') {
      end++;
    }
    String b = new String(body, start + 2, end - start - 2, StandardCharsets.ISO_8859_1).strip();
    return b.isEmpty() || end - start >= 204 ? null : b;
  }

  private static List<Part> split(byte[] body, byte[] delimiter) throws BadBody {
    List<Part> parts = new ArrayList<>();
    int at = nextDelimiter(body, delimiter, 0);
    if (at < 0) {
      throw new BadBody("malformed_multipart");
    }
    while (at >= 0) {
      int afterDelimiter = at + delimiter.length;
      if (startsWith(body, afterDelimiter, "--")) {
        break; // the closing delimiter
      }
      int contentStart = lineEnd(body, afterDelimiter);
      int next = nextDelimiter(body, delimiter, contentStart);
      int contentEnd = next < 0 ? body.length : next;
      // The line break before a delimiter belongs to the delimiter.
      if (contentEnd > contentStart && body[contentEnd - 1] == '\n') {
        contentEnd--;
        if (contentEnd > contentStart && body[contentEnd - 1] == '\r') {
          contentEnd--;
        }
      }
      if (parts.size() == MAX_PARTS) {
        throw new BadBody("too_many_parts");
      }
      parts.add(part(body, contentStart, contentEnd));
      at = next;
    }
    return parts;
  }

  /** The next delimiter at the start of a line from {@code from}, or -1. */
  private static int nextDelimiter(byte[] body, byte[] delimiter, int from) {
    for (int i = from; i <= body.length - delimiter.length; i++) {
      if ((i == 0 || body[i - 1] == '\n') && body[i] == delimiter[0] && regionMatches(body, i, delimiter)) {
        return i;
      }
    }
    return -1;
  }

  private static Part part(byte[] body, int start, int end) {
    if (startsWith(body, start, "\r\n") || startsWith(body, start, "\n")) {
      // A blank line right after the delimiter: no headers at all.
      int content = body[start] == '\r' ? start + 2 : start + 1;
      return new Part(null, null, null, java.util.Arrays.copyOfRange(body, Math.min(content, end), end));
    }
    int headerEnd = -1;
    int contentStart = start;
    int limit = Math.min(end, start + MAX_PART_HEADER_BYTES);
    for (int i = start; i < limit; i++) {
      if (body[i] == '\n' && (i + 1 < end && body[i + 1] == '\n')) {
        headerEnd = i;
        contentStart = i + 2;
        break;
      }
      if (body[i] == '\n' && i + 2 < end && body[i + 1] == '\r' && body[i + 2] == '\n') {
        headerEnd = i;
        contentStart = i + 3;
        break;
      }
    }
    String name = null;
    String fileName = null;
    String contentType = null;
    if (headerEnd >= 0 && looksLikeHeader(body, start, headerEnd)) {
      for (String line : new String(body, start, headerEnd - start, StandardCharsets.ISO_8859_1).split("\n")) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).strip();
        if (key.equals("content-type")) {
          contentType = value;
        } else if (key.equals("content-disposition")) {
          Matcher m = PARAM.matcher(value);
          while (m.find()) {
            String v = m.group(3) != null ? m.group(3) : m.group(2);
            if (m.group(1).equalsIgnoreCase("name")) {
              name = v;
            } else {
              fileName = v;
            }
          }
        }
      }
    } else {
      contentStart = start; // no header block: the part is all content
    }
    byte[] content = new byte[Math.max(0, end - contentStart)];
    System.arraycopy(body, contentStart, content, 0, content.length);
    return new Part(name, fileName, contentType, content);
  }

  private static boolean looksLikeHeader(byte[] body, int start, int end) {
    for (int i = start; i < end; i++) {
      if (body[i] == ':') {
        return true;
      }
      if (body[i] == '\n' || body[i] == '<' || body[i] == '{' || body[i] == '=') {
        return false;
      }
    }
    return false;
  }

  private static Parsed classify(List<Part> parts) throws BadBody {
    List<Part> events = new ArrayList<>();
    List<Part> pictures = new ArrayList<>();
    int ignored = 0;
    for (Part p : parts) {
      String type = p.contentType() == null ? "" : p.contentType().toLowerCase(Locale.ROOT);
      if (p.bytes().length == 0) {
        ignored++;
      } else if (EvidenceStore.isImage(p.bytes()) || type.startsWith("image/")) {
        pictures.add(p);
      } else if (type.contains("xml") || type.contains("json") || type.startsWith("text/") || namedAsDocument(p)
          || looksLikeDocument(p.bytes())) {
        events.add(p);
      } else {
        ignored++;
      }
    }
    if (events.isEmpty()) {
      throw new BadBody("no_event");
    }
    return new Parsed(events, pictures, ignored);
  }

  private static boolean namedAsDocument(Part p) {
    for (String n : new String[] {p.name(), p.fileName()}) {
      String lower = n == null ? "" : n.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".xml") || lower.endsWith(".json") || lower.equals("event_log")) {
        return true;
      }
    }
    return false;
  }

  private static boolean looksLikeDocument(byte[] bytes) {
    int i = 0;
    while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) {
      i++;
    }
    return i < bytes.length && (bytes[i] == '<' || bytes[i] == '{' || startsWith(bytes, i, "Code="));
  }

  private static int lineEnd(byte[] body, int from) {
    for (int i = from; i < body.length; i++) {
      if (body[i] == '\n') {
        return i + 1;
      }
    }
    return body.length;
  }

  private static boolean startsWith(byte[] body, int at, String prefix) {
    return at >= 0 && regionMatches(body, at, prefix.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static boolean regionMatches(byte[] body, int at, byte[] what) {
    if (at + what.length > body.length) {
      return false;
    }
    for (int i = 0; i < what.length; i++) {
      if (body[at + i] != what[i]) {
        return false;
      }
    }
    return true;
  }
}
