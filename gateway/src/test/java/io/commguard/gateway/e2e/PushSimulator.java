package io.commguard.gateway.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A camera or access controller pushing events the way Hikvision and Dahua firmware does: plain
 * XML/JSON bodies, multipart/form-data with the event part first and JPEG parts after it (names and
 * content types as firmware sets them, or missing), and, over a raw socket, what an HTTP library
 * would not send: chunk boundaries anywhere, keep-alive across pushes, lies in Content-Length.
 */
final class PushSimulator {
  /** A response: status, headers (lower-case names) and body. */
  record Reply(int status, Map<String, String> headers, String body) {}

  private final int port;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  PushSimulator(int port) {
    this.port = port;
  }

  CompletableFuture<Reply> postAsync(String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
      Map<String, String> h = new LinkedHashMap<>();
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      return new Reply(r.statusCode(), h, r.body());
    });
  }

  Reply post(String path, String contentType, byte[] body, String... headers) {
    return postAsync(path, contentType, body, headers).join();
  }

  /** A multipart/form-data body as Hikvision sends it: each part with the given header lines. */
  static byte[] multipart(String boundary, Object... headersAndContents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i + 1 < headersAndContents.length; i += 2) {
      out.writeBytes(("--" + boundary + "\r\n" + headersAndContents[i] + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes((byte[]) headersAndContents[i + 1]);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  /** A JPEG of {@code size} bytes (a real signature, filler after it). */
  static byte[] jpeg(int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) 0x3C);
    b[0] = (byte) 0xFF;
    b[1] = (byte) 0xD8;
    b[2] = (byte) 0xFF;
    b[3] = (byte) 0xE0;
    return b;
  }

  /** A raw connection: writes bytes as given and reads one response at a time (keep-alive). */
  final class Raw implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Raw() throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(20_000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    }

    /** Sends a request head, then the body as chunks cut at the given sizes (the rest in one last chunk). */
    Raw chunked(String path, String contentType, byte[] body, int... cuts) throws IOException {
      write(("POST " + path + " HTTP/1.1\r\nHost: gateway\r\n" + (contentType == null ? "" : "Content-Type: " + contentType
          + "\r\n") + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      int at = 0;
      for (int cut : cuts) {
        chunk(Arrays.copyOfRange(body, at, Math.min(body.length, at + cut)));
        at = Math.min(body.length, at + cut);
      }
      chunk(Arrays.copyOfRange(body, at, body.length));
      write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      return this;
    }

    void chunk(byte[] bytes) throws IOException {
      if (bytes.length > 0) {
        write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        write(bytes);
        write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
    }

    void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /** Reads one response; its body by Content-Length. */
    Reply read() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed before a response; got: " + head);
        }
        head.write(b);
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
      }
      byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
      return new Reply(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True when the gateway closed the connection (read returns end of stream). */
    boolean closedByPeer() throws IOException {
      return in.read() < 0;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
