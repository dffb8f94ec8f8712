package io.commguard.gateway.source.httppush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.commguard.gateway.source.httppush.PushBody.BadBody;
import io.commguard.gateway.source.httppush.PushBody.Parsed;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bodies as Hikvision and Dahua firmware push them, including their quirks. */
class PushBodyTest {
  private static final String XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<EventNotificationAlert version=\"2.0\">"
      + "<eventType>linedetection</eventType></EventNotificationAlert>";
  private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'};

  @Test
  void plainBodies_areOneEvent_whateverTheirContentType() throws Exception {
    for (String type : new String[] {"application/xml; charset=\"UTF-8\"", "text/xml", null, "application/octet-stream"}) {
      Parsed p = PushBody.parse(type, XML.getBytes(StandardCharsets.UTF_8));
      assertThat(p.events()).as(type).singleElement().satisfies(e -> assertThat(new String(e.bytes())).isEqualTo(XML));
      assertThat(p.pictures()).isEmpty();
    }
    assertThat(PushBody.parse("text/plain", "Code=VideoMotion;action=Start;index=0".getBytes()).events()).hasSize(1);
  }

  @Test
  void hikvisionMultipart_eventNamedByItsTypeThenPictures() throws Exception {
    byte[] body = multipart("\r\n", "MIME_boundary", true,
        part("Content-Disposition: form-data; name=\"linedetection\"\r\nContent-Type: text/xml", XML.getBytes()),
        part("Content-Disposition: form-data; name=\"detectionPicture\"; filename=\"detectionPicture.jpg\"\r\n"
            + "Content-Type: image/jpeg\r\nContent-Length: " + JPEG.length + "\r\nContent-ID: image_1", JPEG));

    Parsed p = PushBody.parse("multipart/form-data; boundary=MIME_boundary", body);

    assertThat(p.events()).singleElement().satisfies(e -> {
      assertThat(e.name()).isEqualTo("linedetection");
      assertThat(new String(e.bytes())).isEqualTo(XML);
    });
    assertThat(p.pictures()).singleElement().satisfies(pic -> {
      assertThat(pic.fileName()).isEqualTo("detectionPicture.jpg");
      assertThat(pic.bytes()).isEqualTo(JPEG);
      assertThat(pic.namedAsFace()).isFalse();
    });
  }

  @Test
  void accessControllerMultipart_eventLogWithoutContentType_faceNamedPicture_quotedBoundary() throws Exception {
    String json = "{\"eventType\":\"AccessControllerEvent\",\"AccessControllerEvent\":{\"majorEventType\":5}}";
    byte[] body = multipart("\r\n", "----WebKit7MA4YWxk", true,
        part("Content-Disposition: form-data; name=\"event_log\"", json.getBytes()),
        part("Content-Disposition: form-data; name=\"FacePicture\"; filename=\"FacePicture.jpg\"", JPEG));

    Parsed p = PushBody.parse("multipart/form-data; boundary=\"----WebKit7MA4YWxk\"", body);

    assertThat(new String(p.events().get(0).bytes())).isEqualTo(json);
    assertThat(p.pictures()).singleElement().satisfies(pic -> assertThat(pic.namedAsFace()).isTrue());
  }

  @Test
  void laxFirmware_noContentType_bareLineFeeds_pictureCalledOctetStream_noClosingDelimiter() throws Exception {
    byte[] body = multipart("\n", "boundary", false,
        part("Content-Disposition: form-data; name=\"MoveDetection.xml\"; filename=\"MoveDetection.xml\"", XML.getBytes()),
        part("Content-Disposition: form-data; name=\"Picture\"\nContent-Type: application/octet-stream", JPEG),
        part("Content-Type: application/x-unknown", new byte[] {1, 2, 3}));

    Parsed p = PushBody.parse(null, body);

    assertThat(new String(p.events().get(0).bytes())).isEqualTo(XML);
    assertThat(p.pictures()).singleElement().satisfies(pic -> assertThat(pic.bytes()).isEqualTo(JPEG));
    assertThat(p.ignored()).isEqualTo(1);
  }

  @Test
  void partWithoutHeaders_isContent() throws Exception {
    byte[] body = ("--b\r\n\r\n" + XML + "\r\n--b--\r\n").getBytes();
    assertThat(new String(PushBody.parse("multipart/mixed; boundary=b", body).events().get(0).bytes())).isEqualTo(XML);
  }

  @Test
  void bodiesWithoutAnEvent_orWithTooManyParts_areRefusedWithAReason() {
    assertThatThrownBy(() -> PushBody.parse("image/jpeg", JPEG)).isInstanceOfSatisfying(BadBody.class,
        e -> assertThat(e.reason).isEqualTo("no_event"));
    assertThatThrownBy(() -> PushBody.parse("multipart/form-data; boundary=zz", XML.getBytes()))
        .isInstanceOfSatisfying(BadBody.class, e -> assertThat(e.reason).isEqualTo("malformed_multipart"));
    byte[][] parts = new byte[PushBody.MAX_PARTS + 1][];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = part("Content-Type: text/xml", XML.getBytes());
    }
    assertThatThrownBy(() -> PushBody.parse("multipart/form-data; boundary=b", multipart("\r\n", "b", true, parts)))
        .isInstanceOfSatisfying(BadBody.class, e -> assertThat(e.reason).isEqualTo("too_many_parts"));
  }

  @Test
  void heartbeat_isRecognisedInXmlAndJson_andNotInAnEvent() {
    assertThat(PushBody.heartbeat("<EventNotificationAlert><eventType>heartBeat</eventType>".getBytes())).isTrue();
    assertThat(PushBody.heartbeat("{\"eventType\": \"heartBeat\", \"eventState\": \"active\"}".getBytes())).isTrue();
    assertThat(PushBody.heartbeat(XML.getBytes())).isFalse();
  }

  static byte[] part(String headers, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((headers + "\n\n").replace("\n\n", "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** Parts joined by delimiters with the given line break; headers keep their own breaks. */
  static byte[] multipart(String lineBreak, String boundary, boolean closing, byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(("--" + boundary + lineBreak).getBytes(StandardCharsets.ISO_8859_1));
      byte[] fixed = lineBreak.equals("\n") ? new String(p, StandardCharsets.ISO_8859_1).replaceFirst("\r\n\r\n", "\n\n")
          .getBytes(StandardCharsets.ISO_8859_1) : p;
      out.writeBytes(fixed);
      out.writeBytes(lineBreak.getBytes(StandardCharsets.ISO_8859_1));
    }
    if (closing) {
      out.writeBytes(("--" + boundary + "--" + lineBreak).getBytes(StandardCharsets.ISO_8859_1));
    }
    return out.toByteArray();
  }
}
