package io.commguard.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.config.AdminConfig;
import io.commguard.gateway.config.AdminTlsConfig;
import io.commguard.gateway.metrics.Counters;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with the certificate made at first start: kept, private, served, and named by its fingerprint. */
class AdminCertificateTest {
  @TempDir Path dir;

  @Test
  void firstStart_makesAPrivateSelfSignedCertificate_keptAcrossStarts_andServedWithHsts() throws Exception {
    AdminConfig config = new AdminConfig(true, "127.0.0.1", 0, null, null, null, null,
        new AdminTlsConfig(true, null, null));
    AdminCertificate first = AdminCertificate.load(config, dir, Clock.systemUTC());
    assertThat(first.certFile()).isEqualTo(dir.resolve(AdminCertificate.CERT_FILE));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.keyFile()))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.certFile()))).isEqualTo("rw-------");
    assertThat(first.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    assertThat(AdminCertificate.load(config, dir, Clock.systemUTC())).as("the second start keeps it").isEqualTo(first);

    X509Certificate cert;
    try (InputStream in = Files.newInputStream(first.certFile())) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    assertThat(cert.getSubjectAlternativeNames()).extracting(n -> String.valueOf(n.get(1))).contains("localhost", "127.0.0.1");
    assertThat(cert.getNotAfter().toInstant()).isAfter(java.time.Instant.now().plus(Duration.ofDays(3000)));

    Vertx vertx = Vertx.vertx();
    try {
      Counters counters = new Counters();
      AdminServer server = new AdminServer(vertx, config, new Access(new AdminToken("tls-test-token-0123456"), counters),
          counters, new Readiness(), List.of()).tls(first);
      int port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("gateway", cert);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HttpClient https = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(30)).build();
      HttpResponse<String> alive = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/healthz"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(alive.statusCode()).isEqualTo(200);
      assertThat(alive.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
      byte[] served = alive.sslSession().orElseThrow().getPeerCertificates()[0].getEncoded();
      assertThat(HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(served)))
          .isEqualTo(first.fingerprint());

      HttpClient plain = HttpClient.newHttpClient();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/healthz")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString())).as("no plain HTTP on the HTTPS port").isInstanceOf(java.io.IOException.class);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
