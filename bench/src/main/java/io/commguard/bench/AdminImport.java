package io.commguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A technician's bulk import through the gateway's admin API, as the console and {@code gateway
 * devices import} do it: the CSV checked with a dry run, then applied; the answer carries the new
 * devices' generated passwords. Every row is a new gas detector that logs in with a password.
 */
final class AdminImport {
  /** Timings (wall clock, this JVM) and what the gateway answered. */
  record Result(long dryRunMs, long applyMs, int created, int credentialLines) {
    long totalMs() {
      return dryRunMs + applyMs;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  /** HTTP/1.1, as the console's browser speaks to a plain-HTTP loopback listener. */
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final URI importUri;
  private final String token;

  AdminImport(int adminPort, String token) {
    this.importUri = URI.create("http://127.0.0.1:" + adminPort + "/api/v1/devices/import");
    this.token = token;
  }

  /** {@code devices} rows of new MQTT gas detectors {@code <prefix>00000…}, UTF-8 with BOM as Excel saves it. */
  static byte[] csv(String prefix, int devices) {
    StringBuilder sb = new StringBuilder("\uFEFFid,profile,site,location,state\r\n");
    for (int i = 0; i < devices; i++) {
      sb.append(prefix).append(String.format("%05d", i)).append(",generic-nbiot-gas-detector,310115001/G-07/")
          .append(1 + i / 200).append('/').append(i % 4 + 1).append('/').append(i % 30 + 1).append("F,")
          .append(1 + i / 200).append("号楼厨房,\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Downloads the CSV template, as a technician does before filling it in: the connection, the
   * token check and the admin API's routes are then in use before the import is timed.
   */
  void template() throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(importUri + "/template")).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).GET().build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 || !response.body().contains("id,profile")) {
      throw new IllegalStateException("import template answered " + response.statusCode());
    }
  }

  /** Dry run, then apply; fails unless the dry run finds every row valid and the apply creates them all. */
  Result run(byte[] csv, int rows) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    JsonNode dry = post(csv, true);
    long t1 = System.nanoTime();
    if (dry.path("valid").asInt() != rows || !dry.path("errors").isEmpty()) {
      throw new IllegalStateException("dry run found problems: valid=" + dry.path("valid") + " errors="
          + dry.path("errors").toString().substring(0, Math.min(300, dry.path("errors").toString().length())));
    }
    JsonNode applied = post(csv, false);
    long t2 = System.nanoTime();
    int created = applied.path("created").asInt();
    if (created != rows) {
      throw new IllegalStateException("apply created " + created + " of " + rows + " devices: " + applied);
    }
    int lines = (int) applied.path("credentialsCsv").asText().lines().filter(l -> !l.isBlank()).count() - 1;
    return new Result((t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, created, lines);
  }

  private JsonNode post(byte[] csv, boolean dryRun) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(importUri + "?dryRun=" + dryRun))
        .timeout(Duration.ofSeconds(120))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "text/csv")
        .POST(HttpRequest.BodyPublishers.ofByteArray(csv))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("import " + (dryRun ? "dry run" : "apply") + " answered " + response.statusCode()
          + ": " + response.body().substring(0, Math.min(300, response.body().length())));
    }
    return JSON.readTree(response.body());
  }
}
