package io.commguard.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.admin.AdminCertificate;
import io.commguard.gateway.audit.Audit;
import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's security end to end, on one real gateway process over HTTPS with the certificate
 * it made at first start: the first admin made with the CLI on the box, login, CSRF and role
 * refusals, lockout, and the audit log checked by the CLI while the gateway runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminAuthIT {
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"));
  private static final String PASSWORD = "admin it password";
  private static final Duration START = Duration.ofSeconds(60);
  @TempDir static Path dir;
  private static MosquittoBroker city;
  private static GatewayProcess gateway;
  private static Path config;
  private static Path data;
  private static HttpClient https;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    city = MosquittoBroker.start(dir);
    data = dir.resolve("data");
    int port = FreePort.next();
    base = "https://127.0.0.1:" + port;
    config = Files.writeString(dir.resolve("gateway.yaml"), """
        gatewayId: gw-auth
        dataDir: '%s'
        profilesDir: '%s'
        deviceEndpoint: {enabled: true, host: 127.0.0.1, port: %d}
        devices:
          - {id: gas-1, profile: generic-nbiot-gas-detector, passwordHash: '%s'}
        uplink: {brokerUrl: '%s', ackMode: platform}
        admin: {enabled: true, port: %d, tls: {enabled: true}}
        """.formatted(data, PROFILES, FreePort.next(), io.commguard.gateway.security.PasswordHash.hash("device-secret-1".toCharArray()),
        city.url(), port));
    assertThat(cli(PASSWORD + "\n", "users", "add", "alice", "--role", "admin").exit()).isZero();
    gateway = new GatewayProcess(config).start();
    gateway.awaitReady(START);

    Path cert = data.resolve(AdminCertificate.CERT_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(AdminCertificate.KEY_FILE))))
        .isEqualTo("rw-------");
    X509Certificate certificate;
    try (InputStream in = Files.newInputStream(cert)) {
      certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("gateway", certificate);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    https = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(30)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.stop();
    }
    if (city != null) {
      city.stop();
    }
  }

  @Test
  @Order(1)
  void https_withTheGeneratedCertificate_itsFingerprintLogged_andSecureCookies() throws Exception {
    assertThat(gateway.logText()).containsPattern("Admin API certificate file=\\S+admin-tls.crt sha256=([0-9A-F]{2}:){31}[0-9A-F]{2}");
    HttpResponse<String> login = login("alice", PASSWORD);
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.headers().firstValue("Strict-Transport-Security")).isPresent();
    assertThat(login.headers().firstValue("Set-Cookie").orElseThrow().toLowerCase(Locale.ROOT))
        .contains("; secure", "; httponly", "; samesite=strict");
  }

  @Test
  @Order(2)
  void aChangeWithoutTheCsrfToken_orAboveTheRole_isRefused_andTheAuditLogVerifies() throws Exception {
    String[] alice = session("alice");
    String addTom = "{\"user\":\"tom\",\"role\":\"technician\",\"password\":\"" + PASSWORD + "\"}";
    HttpResponse<String> noCsrf = send(request("/api/v1/users").header("Cookie", alice[0])
        .POST(HttpRequest.BodyPublishers.ofString(addTom)));
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(noCsrf.body()).getString("error")).isEqualTo("csrf");
    assertThat(send(request("/api/v1/users").header("Cookie", alice[0]).header("X-CSRF-Token", alice[1])
        .POST(HttpRequest.BodyPublishers.ofString(addTom))).statusCode()).isEqualTo(201);

    assertThat(send(request("/api/v1/users").header("Cookie", alice[0]).header("X-CSRF-Token", alice[1])
        .POST(HttpRequest.BodyPublishers.ofString(addTom.replace("tom", "vera").replace("technician", "viewer"))))
        .statusCode()).isEqualTo(201);
    String[] vera = session("vera");
    HttpResponse<String> viewer = send(request("/api/v1/maintenance").header("Cookie", vera[0]).header("X-CSRF-Token", vera[1])
        .POST(HttpRequest.BodyPublishers.ofString("{\"device\":\"gas-1\",\"duration\":\"PT1H\"}")));
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(viewer.body()).getString("error")).isEqualTo("forbidden");
    assertThat(send(request("/api/v1/maintenance").header("Cookie", vera[0]).GET()).statusCode()).isEqualTo(200);

    CliResult verified = cli("", "audit", "verify");
    assertThat(verified.exit()).as(verified.output()).isZero();
    assertThat(verified.output()).contains("Audit log intact: 3 entries.");
    Path log = data.resolve(Audit.FILE);
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    assertThat(lines.get(1)).contains("\"actor\":\"user:alice\"", "\"action\":\"user.add\"", "\"target\":\"tom\"");
    lines.set(1, lines.get(1).replace("technician", "admin"));
    Files.write(log, lines);
    assertThat(Audit.in(data, java.time.Clock.systemUTC()).verify().problem()).isEqualTo(
        "entry 2 was edited (its hash does not match its content)");
  }

  /** Last: it locks the loopback address too, for a second. */
  @Test
  @Order(3)
  void repeatedBadPasswords_lockTheUserOut_evenForTheRightPassword() throws Exception {
    for (int i = 0; i <= 5; i++) {
      assertThat(login("lockme", "wrong password " + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> locked = login("lockme", PASSWORD);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("Retry-After")).isPresent();
  }

  private record CliResult(int exit, String output) {}

  /** {@code gateway ARGS --config CONFIG} as a technician runs it on the box. */
  private static CliResult cli(String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(GatewayProcess.javaBinary(), "-jar", GatewayProcess.jar().toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--config", config.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new CliResult(p.exitValue(), out);
  }

  private static String[] session(String user) throws Exception {
    HttpResponse<String> login = login(user, PASSWORD);
    assertThat(login.statusCode()).isEqualTo(200);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    return new String[] {cookie.substring(0, cookie.indexOf(';')), new JsonObject(login.body()).getString("csrfToken")};
  }

  private static HttpResponse<String> login(String user, String password) throws Exception {
    return send(request("/api/v1/session").POST(HttpRequest.BodyPublishers.ofString(
        new JsonObject().put("user", user).put("password", password).encode())));
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return https.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
