package io.commguard.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.config.ConfigSections;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * The running gateway's admin API as the CLI reaches it: the address from {@code --url}, else from
 * the config file's {@code admin} section (loopback, port 8641 by default); the token from {@code
 * --token-file}, else {@code COMMGUARD_ADMIN_TOKEN}, else the config's {@code admin.tokenFile}.
 * Texts come back in the language of {@code LANG} (zh* → Chinese).
 */
final class AdminClient {
  static final String DEFAULT_CONFIG = "/etc/commguard/gateway.yaml";

  /** The options every command that talks to the gateway takes. */
  static final class Options {
    @Option(names = "--config", description = "Gateway config file, for the admin address and token file (default: ${DEFAULT-VALUE})",
        defaultValue = DEFAULT_CONFIG)
    Path config;

    @Option(names = "--url", description = "Admin API address, e.g. http://127.0.0.1:8641 (default: from the config)")
    String url;

    @Option(names = "--token-file", description = "File holding an API token (default: COMMGUARD_ADMIN_TOKEN, else admin.tokenFile of the config)")
    Path tokenFile;

    @Option(names = "--json", description = "Print the API's JSON instead of a table")
    boolean json;
  }

  /** A refusal the command reports and exits 1 with. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }

  private final String base;
  private final String token;
  private final String language;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private AdminClient(String base, String token, String language) {
    this.base = base;
    this.token = token;
    this.language = language;
  }

  static AdminClient of(Options o, Map<String, String> env) throws Failure {
    JsonNode admin = null;
    if (o.url == null || (o.tokenFile == null && env.get("COMMGUARD_ADMIN_TOKEN") == null)) {
      try {
        admin = Files.isReadable(o.config) ? ConfigSections.readTree(Files.readString(o.config)).get("admin") : null;
      } catch (IOException e) {
        throw new Failure("cannot read " + o.config + ": " + e.getMessage());
      }
    }
    String url = o.url;
    if (url == null) {
      String host = admin != null && admin.hasNonNull("host") ? admin.get("host").asText() : "127.0.0.1";
      int port = admin != null && admin.hasNonNull("port") ? admin.get("port").asInt() : 8641;
      url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
    String token;
    Path file = o.tokenFile != null ? o.tokenFile : env.get("COMMGUARD_ADMIN_TOKEN") != null ? null
        : admin != null && admin.hasNonNull("tokenFile") ? Path.of(admin.get("tokenFile").asText()) : null;
    if (file != null) {
      try {
        token = Files.readString(file, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new Failure("cannot read the token file " + file + ": " + e.getMessage());
      }
    } else {
      token = env.get("COMMGUARD_ADMIN_TOKEN");
    }
    if (token == null || token.isBlank()) {
      throw new Failure("no API token: give --token-file or set COMMGUARD_ADMIN_TOKEN");
    }
    String lang = env.getOrDefault("LANG", "").toLowerCase(Locale.ROOT).startsWith("zh") ? "zh-CN" : "en";
    return new AdminClient(url.replaceAll("/+$", "") + "/api/v1", token.trim(), lang);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .header("Accept-Language", language).timeout(Duration.ofSeconds(120));
  }

  /** Sends one request; a status of 400 or more fails with the API's message and problems. */
  HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body, boolean errorIsAnswer)
      throws Failure, InterruptedException {
    HttpRequest.Builder b = request(path).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    HttpResponse<byte[]> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new Failure("the gateway's admin API at " + base + " does not answer: " + e);
    }
    if (r.statusCode() >= 400 && !errorIsAnswer) {
      throw new Failure(describe(r));
    }
    return r;
  }

  JsonNode json(String method, String path, String body) throws Failure, InterruptedException {
    HttpResponse<byte[]> r = send(method, path, body == null ? null : "application/json",
        body == null ? null : body.getBytes(StandardCharsets.UTF_8), false);
    return parse(r.body());
  }

  /** The lines of a Server-Sent Events stream, until the gateway closes it. */
  Stream<String> lines(String path) throws Failure, InterruptedException {
    try {
      HttpResponse<Stream<String>> r = http.send(request(path).timeout(Duration.ofDays(365)).GET().build(),
          HttpResponse.BodyHandlers.ofLines());
      if (r.statusCode() >= 400) {
        throw new Failure("HTTP " + r.statusCode() + ": " + String.join("\n", r.body().toList()));
      }
      return r.body();
    } catch (IOException e) {
      throw new Failure("the gateway's admin API at " + base + " does not answer: " + e);
    }
  }

  static JsonNode parse(byte[] body) throws Failure {
    try {
      return ConfigSections.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new Failure("unexpected answer: " + e.getMessage());
    }
  }

  private static String describe(HttpResponse<byte[]> r) {
    StringBuilder sb = new StringBuilder("HTTP " + r.statusCode());
    try {
      JsonNode e = parse(r.body());
      sb.append(' ').append(e.path("error").asText()).append(": ").append(e.path("message").asText());
      for (JsonNode p : e.path("problems")) {
        sb.append("\n  ").append(p.path("path").asText()).append(": ").append(p.path("reason").asText());
      }
      for (JsonNode p : e.path("errors")) {
        sb.append("\n  row ").append(p.path("row").asText()).append("  ").append(p.path("column").asText())
            .append("  ").append(p.path("reason").asText());
      }
    } catch (Failure | RuntimeException ignored) {
      // not JSON: the status alone says it
    }
    return sb.toString();
  }
}
