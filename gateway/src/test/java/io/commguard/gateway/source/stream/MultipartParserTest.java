package io.commguard.gateway.source.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MultipartParserTest {
  private static final String XML = "<EventNotificationAlert version=\"2.0\">\r\n<eventType>videoloss</eventType>\r\n"
      + "<eventState>inactive</eventState>\r\n</EventNotificationAlert>";
  private static final String DAHUA = "Code=VideoMotion;action=Start;index=0;data={\n \"RegionName\" : [ \"Region1\" ]\n}\r\n";

  /** A Hikvision-style stream: two XML parts around a JPEG picture whose bytes mimic the delimiter. */
  private static byte[] hikvisionStream() {
    byte[] jpeg = new byte[3000];
    for (int i = 0; i < jpeg.length; i++) {
      jpeg[i] = (byte) (i * 31);
    }
    byte[] tricky = "\r\n--boundar\r\n-\n--bound".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(tricky, 0, jpeg, 100, tricky.length);
    Buffer b = Buffer.buffer();
    b.appendString("--boundary\r\nContent-Type: application/xml; charset=\"UTF-8\"\r\nContent-Length: " + XML.length()
        + "\r\n\r\n" + XML + "\r\n");
    b.appendString("--boundary\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
        .appendBytes(jpeg).appendString("\r\n");
    b.appendString("--boundary\r\nContent-Type: application/json\r\n\r\n{\"eventType\":\"VMD\"}\r\n--boundary\r\n");
    return b.getBytes();
  }

  @Test
  void hikvisionStream_inOneRead_givesTheEventsAndSkipsThePicture() {
    Recorder r = new Recorder();
    new MultipartParser("boundary", 1024, r).feed(Buffer.buffer(hikvisionStream()));
    assertThat(r.parts).containsExactly(XML, "{\"eventType\":\"VMD\"}");
    assertThat(r.skips).containsExactly("DISCARDED:3000");
  }

  @Property(tries = 200)
  void hikvisionStream_cutAnywhere_givesTheSameParts(@ForAll("cuts") List<Integer> cuts) {
    Recorder r = new Recorder();
    MultipartParser parser = new MultipartParser("boundary", 1024, r);
    feedCut(parser, hikvisionStream(), cuts);
    assertThat(r.parts).containsExactly(XML, "{\"eventType\":\"VMD\"}");
    assertThat(r.skips).containsExactly("DISCARDED:3000");
  }

  @Property(tries = 100)
  void dahuaStream_cutAnywhere_givesEveryRecordAndHeartbeat(@ForAll("cuts") List<Integer> cuts) {
    String part = "--myboundary\r\nContent-Type: text/plain\r\nContent-Length: " + DAHUA.length() + "\r\n\r\n" + DAHUA;
    String heartbeat = "--myboundary\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nHeartbeat\r\n";
    String noLength = "--myboundary\r\nContent-Type: text/plain\r\n\r\n" + DAHUA;
    byte[] stream = (part + heartbeat + noLength + heartbeat).getBytes(StandardCharsets.UTF_8);
    Recorder r = new Recorder();
    feedCut(new MultipartParser("myboundary", 1024, r), stream, cuts);
    // A declared length keeps the record's own line end; without one the CR before the delimiter goes.
    assertThat(r.parts).containsExactly(DAHUA, "Heartbeat", DAHUA.substring(0, DAHUA.length() - 2), "Heartbeat");
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(1, 400).list().ofMinSize(0).ofMaxSize(40);
  }

  @Test
  void byteByByte_givesTheSameParts() {
    Recorder r = new Recorder();
    MultipartParser parser = new MultipartParser("boundary", 1024, r);
    for (byte b : hikvisionStream()) {
      parser.feed(Buffer.buffer(new byte[] {b}));
    }
    assertThat(r.parts).containsExactly(XML, "{\"eventType\":\"VMD\"}");
  }

  @Test
  void oversizedPart_isSkippedAndCounted_whetherDeclaredOrNot() {
    String big = "x".repeat(5000);
    Recorder r = new Recorder();
    MultipartParser parser = new MultipartParser("b", 1024, r);
    parser.feed(Buffer.buffer("--b\r\nContent-Type: application/xml\r\n\r\n" + big + "\r\n"
        + "--b\r\nContent-Type: application/xml\r\nContent-Length: 99999999\r\n\r\n" + big + "\r\n"
        + "--b\r\nContent-Type: application/xml\r\n\r\n<ok/>\r\n--b--\r\n"));
    assertThat(r.skips).containsExactly("OVERSIZED:5000", "OVERSIZED:5000");
    assertThat(r.parts).containsExactly("<ok/>");
    assertThat(parser.ended()).isTrue();
  }

  @Test
  void headersThatNeverEndOrGrowPastTheLimit_areSkippedAndTheNextPartIsRead() {
    Recorder r = new Recorder();
    MultipartParser parser = new MultipartParser("b", 64, r);
    parser.feed(Buffer.buffer("--b\r\nX-Junk: " + "y".repeat(500) + "\r\n\r\nbody\r\n"
        + "--b\r\nContent-Type: text/plain\r\n"
        + "--b\r\nContent-Type: text/plain\r\n\r\nfine\r\n--b\r\n"));
    assertThat(r.skips).containsExactly("MALFORMED_HEADERS:0", "MALFORMED_HEADERS:0");
    assertThat(r.parts).containsExactly("fine");
  }

  @Test
  void preambleAndBoundaryWrittenWithItsDashes_areTolerated() {
    Recorder r = new Recorder();
    new MultipartParser("--myboundary", 1024, r).feed(Buffer.buffer(
        "junk before\r\n--myboundary\r\nContent-Type: text/plain\r\n\r\nHeartbeat\r\n--myboundary\r\n"));
    assertThat(r.parts).containsExactly("Heartbeat");
  }

  @Test
  void partWithContentLength_isHandedOverAtItsLastByte_notAtTheNextDelimiter() {
    Recorder r = new Recorder();
    MultipartParser parser = new MultipartParser("b", 1024, r);
    parser.feed(Buffer.buffer("--b\r\nContent-Length: 5\r\n\r\n<a/>"));
    assertThat(r.parts).isEmpty();
    parser.feed(Buffer.buffer("x"));
    assertThat(r.parts).containsExactly("<a/>x");
    parser.feed(Buffer.buffer("\r\n\r\n--b\r\nContent-Length: 3\r\n\r\n<b/>\r\n--b\r\n"));
    assertThat(r.parts).as("a length shorter than the body cuts it").containsExactly("<a/>x", "<b/");
  }

  @Test
  void partHeaders_areReadCaseInsensitively() {
    Recorder r = new Recorder();
    new MultipartParser("b", 1024, r).feed(Buffer.buffer(
        "--b\r\ncontent-TYPE:  Application/JSON \r\n\r\n{}\r\n--b\r\n"));
    assertThat(r.headers.get(0)).containsEntry("content-type", "Application/JSON");
  }

  private static void feedCut(MultipartParser parser, byte[] stream, List<Integer> cuts) {
    int at = 0;
    for (int cut : cuts) {
      int end = Math.min(stream.length, at + cut);
      parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(stream, at, end)));
      at = end;
    }
    parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(stream, at, stream.length)));
  }

  private static final class Recorder implements MultipartParser.Listener {
    final List<String> parts = new ArrayList<>();
    final List<String> skips = new ArrayList<>();
    final List<Map<String, String>> headers = new ArrayList<>();

    @Override
    public MultipartParser.Disposition begin(Map<String, String> h) {
      headers.add(h);
      return h.getOrDefault("content-type", "").startsWith("image/") ? MultipartParser.Disposition.DISCARD
          : MultipartParser.Disposition.keep(4096);
    }

    @Override
    public void part(Map<String, String> h, byte[] body) {
      parts.add(new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public void skipped(Map<String, String> h, long bytes, MultipartParser.Skip reason) {
      skips.add(reason + ":" + bytes);
    }
  }
}
