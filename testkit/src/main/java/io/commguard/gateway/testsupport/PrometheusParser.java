package io.commguard.gateway.testsupport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Parses Prometheus text with the Prometheus project's own Python client (Debian
 * python3-prometheus-client), an independent check that what the gateway serves is what a
 * Prometheus server can scrape.
 */
public final class PrometheusParser {
  private static final String SCRIPT = String.join("\n",
      "import sys, json",
      "from prometheus_client.parser import text_string_to_metric_families",
      "out = []",
      "for fam in text_string_to_metric_families(sys.stdin.read()):",
      "    for s in fam.samples:",
      "        out.append({'family': fam.name, 'type': fam.type, 'name': s.name, 'labels': s.labels, 'value': s.value})",
      "print(json.dumps(out))");

  /** One sample as the parser read it. */
  public record Sample(String family, String type, String name, Map<String, String> labels, double value) {}

  private PrometheusParser() {}

  /** Every sample in {@code text}; throws with the parser's words if the text is not valid. */
  public static List<Sample> parse(String text) {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", SCRIPT).start();
      p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalArgumentException("Prometheus parser refused the text: " + err);
      }
      return new JsonArray(out).stream().map(JsonObject.class::cast).map(o -> new Sample(o.getString("family"),
          o.getString("type"), o.getString("name"), toStrings(o.getJsonObject("labels")), o.getDouble("value")))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> toStrings(JsonObject labels) {
    return labels.getMap().entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
  }
}
