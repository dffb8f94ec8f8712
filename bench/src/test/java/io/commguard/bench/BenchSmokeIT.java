package io.commguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's smoke run (seconds-long, tiny fleet) end to end with real parts — Mosquitto, the
 * packaged gateway jar as its own process through the shipped launcher, the Modbus simulator — so the harness never rots. It
 * checks that the result, report and chart are produced with sane fields; it deliberately checks
 * no speed: targets belong to the benchmark report, not to timed tests.
 */
class BenchSmokeIT {
  @TempDir Path dir;

  @Test
  void smokeRun_writesResultReportAndChart_withEveryMessageAccountedFor() throws Exception {
    Path out = dir.resolve("results");
    int status = BenchMain.run("smoke",
        "--gateway-jar", System.getProperty("gateway.jar"),
        "--launcher", System.getProperty("launcher"),
        "--profiles", System.getProperty("profiles.dir"),
        "--out", out.toString(),
        "--work", dir.resolve("work").toString());

    assertThat(status).isZero();
    assertThat(out.resolve("REPORT.md")).content().contains("## Machine", "## Targets (issue 6)", "### steady");
    assertThat(Files.size(out.resolve("chart.png"))).isPositive();
    JsonNode r = new ObjectMapper().readTree(out.resolve("result.json").toFile());
    assertThat(r.at("/machine/cores").asInt()).isPositive();
    assertThat(r.at("/gateway_jvm").asText()).as("the shipped line, with its class-data archive")
        .contains("-XX:TieredStopAtLevel=1", "-XX:SharedArchiveFile=");
    assertThat(r.at("/targets").size()).as("every target the report evaluates").isEqualTo(19);
    for (String scenario : new String[] {"steady", "throughput", "alerts"}) {
      JsonNode s = r.at("/scenarios/" + scenario);
      assertThat(s.has("error")).as(scenario + ": " + s).isFalse();
      assertThat(s.at("/zero_loss").asBoolean()).as(scenario + " accounts for every message").isTrue();
      assertThat(s.at("/ingest_msgs_per_s").asDouble()).isPositive();
      assertThat(s.at("/latency/samples").asLong()).isPositive();
      assertThat(s.at("/peak_rss_mib").asDouble()).isPositive();
      assertThat(s.at("/startup_ms_reported").asLong()).isPositive();
    }
    assertThat(r.at("/scenarios/steady/modbus_polls_per_s").asDouble()).isPositive();
    JsonNode imported = r.at("/scenarios/steady_import");
    assertThat(imported.has("error")).as("steady_import: " + imported).isFalse();
    assertThat(imported.at("/imported_devices").asInt()).isEqualTo(50);
    assertThat(imported.at("/credentials_returned").asInt()).as("a generated password per new device").isEqualTo(50);
    assertThat(imported.at("/import_wall_ms").asLong()).isPositive();
    assertThat(imported.at("/zero_loss").asBoolean()).as("steady_import accounts for every message").isTrue();
    assertThat(imported.at("/latency_outside_import/samples").asLong()).isPositive();
    assertThat(imported.has("latency_during_import")).isTrue();
    assertThat(r.at("/scenarios/drain/delivered_alerts").asLong())
        .isEqualTo(r.at("/scenarios/drain/backlog_alerts").asLong());
    assertThat(r.at("/scenarios/backlog/zero_loss").asBoolean()).as("backlog: %s", r.at("/scenarios/backlog")).isTrue();
    assertThat(r.at("/scenarios/backlog/peak_heap_mib").asDouble()).isPositive();
    assertThat(r.at("/scenarios/mosquitto_qos1/delivered_msgs_per_s").asDouble()).isPositive();
    assertThat(r.at("/scenarios/http_push/answered_200_total").asLong()).isPositive();
    assertThat(r.at("/scenarios/http_push/non_200_answers").asLong()).isZero();
    JsonNode held = r.at("/scenarios/streams_held");
    assertThat(held.has("error")).as("streams_held: " + held).isFalse();
    assertThat(held.at("/streams_open_at_start").asLong()).isEqualTo(held.at("/cameras").asLong()).isPositive();
    assertThat(held.at("/heartbeats_sent").asLong()).isPositive();
    assertThat(held.at("/peak_rss_mib").asDouble()).isPositive();
    assertThat(r.at("/scenarios/restart/restart_to_pubacks_ms").asLong())
        .isGreaterThanOrEqualTo(r.at("/scenarios/restart/restart_to_all_connected_ms").asLong()).isPositive();
  }
}
