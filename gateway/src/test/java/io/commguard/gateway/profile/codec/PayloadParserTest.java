package io.commguard.gateway.profile.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.profile.DecodeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PayloadParserTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<JsonNode> parse(Codec codec, String payload) throws DecodeException {
    return new PayloadParser(codec, KvOptions.DEFAULTS).parse(bytes(payload));
  }

  @Test
  void json_parsesTree() throws Exception {
    JsonNode n = parse(Codec.JSON, "{\"a\":{\"b\":[1,2]}}").get(0);
    assertThat(n.at("/a/b/1").asInt()).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "JSON|{\"a\":1",
      "JSON|{\"a\":1} trailing",
      "JSON|''",
      "JSON|not json",
      "XML|<a><b></a>",
      "XML|''",
      "XML|just text",
      "AUTO|<a>",
      "AUTO|{",
      "KV|no pairs here",
      "KV|=value"})
  void malformed_throwsWithReasonAndNoPayloadText(Codec codec, String payload) {
    String expected = switch (codec) {
      case XML -> "malformed_xml";
      case KV -> "malformed_text";
      default -> payload.startsWith("<") ? "malformed_xml" : "malformed_json";
    };
    assertThatThrownBy(() -> parse(codec, payload))
        .isInstanceOf(DecodeException.class)
        .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo(expected))
        .satisfies(e -> {
          if (payload.length() > 3) {
            assertThat(e.getMessage()).doesNotContain(payload);
          }
        });
  }

  @Test
  void json_errorDetail_neverEchoesPayloadText() {
    assertThatThrownBy(() -> parse(Codec.JSON, "{\"name\": Zhang San}"))
        .isInstanceOf(DecodeException.class)
        .hasMessageNotContaining("Zhang")
        .hasMessageContaining("line 1");
  }

  @Test
  void xml_elementsBecomeFields_repeatedElementsArrays_attributesAtNames() throws Exception {
    JsonNode n = parse(Codec.XML, """
        <?xml version="1.0" encoding="UTF-8"?>
        <Root version="2.0" xmlns="http://example.com/ns">
          <id>7</id>
          <List><Entry><v>a</v></Entry><Entry><v>b</v></Entry></List>
          <Single><Entry><v>c</v></Entry></Single>
          <cdata><![CDATA[x < y]]></cdata>
          <empty/>
        </Root>""").get(0);
    assertThat(n.get("@version").asText()).isEqualTo("2.0");
    assertThat(n.get("id").asText()).isEqualTo("7");
    assertThat(n.at("/List/Entry/1/v").asText()).isEqualTo("b");
    assertThat(FieldPath.compile("Single.Entry[0].v").resolve(n).asText()).isEqualTo("c");
    assertThat(n.get("cdata").asText()).isEqualTo("x < y");
    assertThat(n.get("empty").asText()).isEmpty();
  }

  @Test
  void xml_externalEntity_refused() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><r><a>&x;</a></r>";
    assertThatThrownBy(() -> parse(Codec.XML, xxe)).isInstanceOf(DecodeException.class).hasMessageContaining("malformed_xml");
  }

  @Test
  void xml_entityExpansion_refused() {
    String bomb = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><r>&b;</r>";
    assertThatThrownBy(() -> parse(Codec.XML, bomb)).isInstanceOf(DecodeException.class);
  }

  @Test
  void auto_picksXmlOrJsonByFirstByte() throws Exception {
    assertThat(parse(Codec.AUTO, "  \n<r><a>1</a></r>").get(0).get("a").asText()).isEqualTo("1");
    assertThat(parse(Codec.AUTO, "{\"a\":\"1\"}").get(0).get("a").asText()).isEqualTo("1");
  }

  @Test
  void kv_dahuaLine_withMultilineEmbeddedJsonContainingSeparators() throws Exception {
    PayloadParser p = new PayloadParser(Codec.KV, new KvOptions("\n", ";", "=", Set.of("data")));
    List<JsonNode> records = p.parse(bytes("Code=CrossLineDetection;action=Start;index=0;data={\n \"Name\" : \"a;b=c\",\n \"RuleID\" : 2\n}\nCode=VideoMotion;action=Stop;index=1\n"));
    assertThat(records).hasSize(2);
    assertThat(records.get(0).get("Code").asText()).isEqualTo("CrossLineDetection");
    assertThat(records.get(0).at("/data/Name").asText()).isEqualTo("a;b=c");
    assertThat(records.get(0).at("/data/RuleID").asInt()).isEqualTo(2);
    assertThat(records.get(1).get("action").asText()).isEqualTo("Stop");
  }

  @Test
  void kv_zktecoTabSeparatedLines() throws Exception {
    PayloadParser p = new PayloadParser(Codec.KV, new KvOptions("\n", "\t", "=", Set.of()));
    List<JsonNode> records = p.parse(bytes("time=2026-11-22 10:00:00\tpin=1001\tcardno=123\tevent=0\tindex=42\r\ntime=2026-11-22 10:00:05\tpin=1002\tevent=27\tindex=43\n\n"));
    assertThat(records).hasSize(2);
    assertThat(records.get(0).get("time").asText()).isEqualTo("2026-11-22 10:00:00");
    assertThat(records.get(0).get("index").asText()).isEqualTo("42");
    assertThat(records.get(1).get("event").asText()).isEqualTo("27");
  }

  @Test
  void kv_valueMayContainKeyValueSeparator_andEmptyPairsAreSkipped() throws Exception {
    JsonNode r = parse(Codec.KV, "a=b=c;;x= 1 ;").get(0);
    assertThat(r.get("a").asText()).isEqualTo("b=c");
    assertThat(r.get("x").asText()).isEqualTo("1");
  }

  @Test
  void kv_brokenEmbeddedJson_namesTheKey() {
    PayloadParser p = new PayloadParser(Codec.KV, new KvOptions("\n", ";", "=", Set.of("data")));
    assertThatThrownBy(() -> p.parse(bytes("Code=X;data={\"a\":")))
        .isInstanceOf(DecodeException.class)
        .satisfies(e -> assertThat(((DecodeException) e).field()).isEqualTo("data"))
        .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo("malformed_json"));
  }
}
