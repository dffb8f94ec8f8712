package io.commguard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Writes a run's result: {@code result.json}, {@code REPORT.md} and {@code chart.png}. */
final class Report {
  private Report() {}

  /**
   * Rewrites REPORT.md and chart.png from an existing result.json (e.g. after a report layout change,
   * or a scenario re-measured and merged in), the targets evaluated again from its scenarios.
   */
  @SuppressWarnings("unchecked")
  static void rewrite(Path dir) throws IOException {
    Map<String, Object> result = new ObjectMapper().readValue(dir.resolve("result.json").toFile(), Map.class);
    result.put("targets", Targets.evaluate((Map<String, Object>) result.get("scenarios")));
    write(dir, result);
  }

  static void write(Path dir, Map<String, Object> result) throws IOException {
    Files.createDirectories(dir);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("result.json").toFile(), result);
    chart(dir.resolve("chart.png"), result);
    Files.writeString(dir.resolve("REPORT.md"), markdown(result));
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> r) {
    StringBuilder md = new StringBuilder("# CommGuard gateway benchmark report\n\n");
    md.append("Run `").append(r.get("run")).append("` finished ").append(r.get("finished"))
        .append(". Produced by `bench/run.sh` (see `bench/README.md`); raw figures in `result.json`, chart in `chart.png`.\n\n");
    md.append("## Machine\n\n");
    ((Map<String, Object>) r.get("machine")).forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append("- gateway JVM: `").append(r.get("gateway_jvm")).append("`\n\n");
    md.append("The load generator, the brokers, the city subscriber and the peer under test share these cores, "
        + "so every figure is a lower bound of what the peer would do on a box of its own.\n\n");
    md.append("## Targets (issue 6)\n\n| target | goal | measured | met |\n|---|---|---|---|\n");
    for (Map<String, Object> t : (List<Map<String, Object>>) r.get("targets")) {
      Object met = t.get("met");
      md.append("| ").append(t.get("target")).append(" | ").append(t.get("goal")).append(" | ")
          .append(t.get("measured") == null ? "not measured" : t.get("measured") + " " + t.get("unit")).append(" | ")
          .append(met == null ? "—" : (Boolean) met ? "yes" : "**no**").append(" |\n");
    }
    md.append("\n## Scenarios\n\n");
    Map<String, Object> scenarios = (Map<String, Object>) r.get("scenarios");
    scenarios.forEach((name, v) -> {
      md.append("### ").append(name).append("\n\n");
      if (v instanceof Map<?, ?> m) {
        md.append("| figure | value |\n|---|---|\n");
        ((Map<String, Object>) m).forEach((k, val) -> md.append("| ").append(k).append(" | ").append(val).append(" |\n"));
      } else {
        md.append(v).append('\n');
      }
      md.append('\n');
    });
    Object notes = r.get("notes");
    if (notes instanceof List<?> list && !list.isEmpty()) {
      md.append("## Notes\n\n");
      list.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  private static void chart(Path file, Map<String, Object> r) throws IOException {
    System.setProperty("java.awt.headless", "true");
    CategoryChart latency = new CategoryChartBuilder().width(640).height(420)
        .title("End-to-end latency at 1,000 msg/s").xAxisTitle("percentile").yAxisTitle("ms").build();
    latency.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    List<String> pct = List.of("p50", "p99", "p99.9", "max");
    addLatency(latency, "gateway (device->city, incl. commit)", Targets.at(r, "scenarios.steady.latency"), pct);
    addLatency(latency, "Mosquitto QoS 1 alone", Targets.at(r, "scenarios.mosquitto_qos1_steady.latency"), pct);

    if (latency.getSeriesMap().isEmpty()) {
      latency.addSeries("no data", pct, List.of(0, 0, 0, 0));
    }

    CategoryChart tput = new CategoryChartBuilder().width(820).height(420)
        .title("Throughput: messages/s ingested or passed; alerts/s (storm, drain)").xAxisTitle("").yAxisTitle("msg/s").build();
    tput.getStyler().setLegendVisible(false);
    List<String> names = new ArrayList<>();
    List<Number> values = new ArrayList<>();
    bar(names, values, "gateway", Targets.num(r, "scenarios.throughput.ingest_msgs_per_s"));
    bar(names, values, "Mosq. QoS 0", Targets.num(r, "scenarios.mosquitto_qos0.delivered_msgs_per_s"));
    bar(names, values, "Mosq. QoS 1", Targets.num(r, "scenarios.mosquitto_qos1.delivered_msgs_per_s"));
    bar(names, values, "NR filter", Targets.num(r, "scenarios.node_red_filter.processed_msgs_per_s"));
    bar(names, values, "NR forward", Targets.num(r, "scenarios.node_red_forward.processed_msgs_per_s"));
    bar(names, values, "gw alerts/s", Targets.num(r, "scenarios.alerts.alerts_delivered_per_s"));
    bar(names, values, "gw drain/s", Targets.num(r, "scenarios.drain.drain_alerts_per_s"));
    if (names.isEmpty()) {
      names.add("none");
      values.add(0);
    }
    tput.addSeries("msg/s", names, values);

    BufferedImage left = BitmapEncoder.getBufferedImage(latency);
    BufferedImage right = BitmapEncoder.getBufferedImage(tput);
    BufferedImage both = new BufferedImage(left.getWidth() + right.getWidth(), Math.max(left.getHeight(), right.getHeight()),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = both.createGraphics();
    g.drawImage(left, 0, 0, null);
    g.drawImage(right, left.getWidth(), 0, null);
    g.dispose();
    ImageIO.write(both, "png", file.toFile());
  }

  @SuppressWarnings("unchecked")
  private static void addLatency(CategoryChart chart, String name, Object summary, List<String> pct) {
    if (!(summary instanceof Map<?, ?> m) || !m.containsKey("p50_ms")) {
      return;
    }
    Map<String, Object> s = (Map<String, Object>) m;
    chart.addSeries(name, pct, List.of((Number) s.get("p50_ms"), (Number) s.get("p99_ms"), (Number) s.get("p999_ms"),
        (Number) s.get("max_ms")));
  }

  private static void bar(List<String> names, List<Number> values, String name, Double v) {
    if (v != null) {
      names.add(name);
      values.add(v);
    }
  }
}
