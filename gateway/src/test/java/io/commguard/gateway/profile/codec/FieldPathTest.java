package io.commguard.gateway.profile.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FieldPathTest {
  private static final JsonNode DOC = tree("""
      {"a": {"b": [ {"c": "first"}, {"c": "second"} ], "n": null, "single": {"c": "only"}},
       "x.y": "dotted key", "top": 5}""");

  private static JsonNode tree(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "a.b[1].c; second",
      "a.b[0].c; first",
      "/a/b/1/c; second",
      "/x.y; dotted key",
      "top; 5",
      "a.single[0].c; only",
      "missing | a.b[1].c; second",
      "a.n | top; 5"})
  void resolve_findsValue(String path, String expected) {
    assertThat(FieldPath.compile(path).resolve(DOC).asText()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"missing", "a.b[5].c", "a.single[1].c", "a.n", "top.deeper", "a.b.c"})
  void resolve_absentOrNull_isNull(String path) {
    assertThat(FieldPath.compile(path).resolve(DOC)).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "a..b;empty name in path 'a..b'",
      "a[;unclosed '[' in path 'a['",
      "a[x];array index must be a number in path 'a[x]'",
      "a[0]b;unexpected text after ']' in path 'a[0]b'",
      "a | ;empty path"})
  void compile_rejectsBadSyntax(String path, String reason) {
    assertThatThrownBy(() -> FieldPath.compile(path)).isInstanceOf(IllegalArgumentException.class).hasMessage(reason);
  }

  @Test
  void lastNames_ofEveryAlternative() {
    assertThat(FieldPath.compile("a.cardNo | b[0].employeeNoString[2]").lastNames()).containsExactly("cardNo", "employeeNoString");
  }

  @Test
  void template_rendersPresentValues_andNothingForAbsentOnes() {
    assertThat(Template.compile("ch{top}/r{a.b[1].c}/{missing}!").render(DOC)).isEqualTo("ch5/rsecond/!");
    assertThat(Template.compile("plain").render(DOC)).isEqualTo("plain");
    assertThatThrownBy(() -> Template.compile("ch{top")).hasMessage("unclosed '{' in template");
  }
}
