package io.commguard.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's files as the jar ships them: both languages have every text the scripts ask for,
 * and nothing in them needs what the Content-Security-Policy ({@code default-src 'self'}) forbids
 * or a box without internet cannot load.
 */
class ConsoleAssetsTest {
  private static final Path CONSOLE = Path.of("src/main/resources/console");
  /** t('key') in the scripts; keys built at run time are listed in {@link #FAMILIES}. */
  private static final Pattern TEXT_KEY = Pattern.compile("(?<![\\w.])t\\('([A-Za-z0-9_.]+)'");
  /** Keys the scripts build from API values (t(`status.${value}`)): every value the API names. */
  private static final Map<String, Set<String>> FAMILIES = Map.of(
      "status", Set.of("online", "offline", "never", "rejecting"),
      "state", Set.of("enabled", "commissioning", "disabled"),
      "role", Set.of("viewer", "technician", "installer", "admin"),
      "decision", Set.of("forwarded", "held", "filtered"),
      "events", Set.of("connecting", "open", "retrying", "closed"),
      "origin", Set.of("config", "runtime"),
      "scan", Set.of("running", "done", "cancelled", "failed"),
      "site", Set.of("communityCode", "gridCell", "building", "unit", "floor", "room"));

  @Test
  void bothLanguages_haveTheSameKeys_andEveryKeyTheScriptsUse() throws IOException {
    Map<String, String> en = texts("en");
    Map<String, String> zh = texts("zh-CN");
    assertThat(zh.keySet()).as("zh-CN.json and en.json name the same texts").isEqualTo(en.keySet());
    Set<String> used = new TreeSet<>();
    for (Path script : scripts()) {
      Matcher m = TEXT_KEY.matcher(Files.readString(script));
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    FAMILIES.forEach((family, values) -> values.forEach(v -> used.add(family + "." + v)));
    assertThat(en.keySet()).as("texts the scripts ask for").containsAll(used);
    assertThat(zh.values()).as("every Chinese text is filled in").allSatisfy(v -> assertThat(v).isNotBlank());
    assertThat(zh.get("login.submit")).isEqualTo("登录");
  }

  @Test
  void pages_haveNoInlineScriptOrStyle_andLoadNothingFromOutside() throws IOException {
    String index = Files.readString(CONSOLE.resolve("index.html"));
    assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(index).find()).as("inline <script>").isFalse();
    assertThat(index).doesNotContain("<style", " style=", "javascript:");
    assertThat(Pattern.compile("\\son[a-z]+=").matcher(index).find()).as("inline event handler").isFalse();
    for (Path file : files()) {
      String text = Files.readString(file).replaceAll("xmlns=\"[^\"]*\"", "");  // a namespace name, not a load
      assertThat(Pattern.compile("(?i)\\b(?:https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/").matcher(text).find())
          .as("%s loads nothing from another host", file).isFalse();
    }
    for (Path script : scripts()) {
      assertThat(Files.readString(script)).as("%s builds elements, never HTML strings", script)
          .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", ".style.");
    }
  }

  private static Map<String, String> texts(String language) throws IOException {
    return new TreeMap<>(new ObjectMapper().readValue(CONSOLE.resolve("i18n/" + language + ".json").toFile(),
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {}));
  }

  private static Set<Path> scripts() throws IOException {
    Set<Path> scripts = new TreeSet<>();
    for (Path file : files()) {
      if (file.toString().endsWith(".js")) {
        scripts.add(file);
      }
    }
    assertThat(scripts).isNotEmpty();
    return scripts;
  }

  private static Set<Path> files() throws IOException {
    try (Stream<Path> walk = Files.walk(CONSOLE)) {
      return walk.filter(Files::isRegularFile).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }
}
