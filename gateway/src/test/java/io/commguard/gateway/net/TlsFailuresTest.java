package io.commguard.gateway.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/**
 * The exception chains the MQTT client reports for TLS faults (MqttException, reason code 0, around
 * the JSSE exception, as logged before: "Untranslated MqttException - RC: 0") become sentences that
 * name the certificate, the failed check and the file.
 */
class TlsFailuresTest {
  private static final String CA = "/etc/commguard/tls/city-ca.pem";
  private static final String CERT = "/etc/commguard/tls/gateway.pem";

  @Test
  void untrustedBrokerCertificate_namesTheCaFile() {
    Throwable e = paho(handshake("PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: "
        + "unable to find valid certification path to requested target", new Exception(
        "unable to find valid certification path to requested target")));
    assertThat(new MqttException(0).getMessage()).isEqualTo("Untranslated MqttException - RC: 0");
    assertThat(TlsFailures.describe(e, CA, CERT))
        .isEqualTo("TLS: the broker's certificate is not signed by a CA in tls.caFile " + CA);
    assertThat(TlsFailures.describe(e, null, null)).contains("the JVM's default trust store (set tls.caFile)");
  }

  @Test
  void expiredBrokerCertificate_saysSo() {
    Throwable e = paho(handshake("expired", new CertificateExpiredException("NotAfter: Mon Nov 23 00:00:00 UTC 2026")));
    assertThat(TlsFailures.describe(e, CA, CERT)).startsWith("TLS: the broker's certificate is outside its validity period")
        .contains("NotAfter: Mon Nov 23");
  }

  @Test
  void hostnameMismatch_pointsAtTheBrokerUrl() {
    Throwable e = paho(handshake("No subject alternative names matching IP address 10.1.2.3 found",
        new CertificateException("No subject alternative names matching IP address 10.1.2.3 found")));
    assertThat(TlsFailures.describe(e, CA, CERT)).contains("does not name the host in uplink.brokerUrl")
        .contains("10.1.2.3");
  }

  @Test
  void clientCertificateRefused_namesOurCertificateFile() {
    Throwable e = paho(new SSLHandshakeException("Received fatal alert: bad_certificate"));
    assertThat(TlsFailures.describe(e, CA, CERT)).isEqualTo(
        "TLS: the broker refused our client certificate tls.certFile " + CERT + " (Received fatal alert: bad_certificate)");
    assertThat(TlsFailures.describe(paho(new SSLHandshakeException("Received fatal alert: certificate_required")), CA, null))
        .contains("without a client certificate (set tls.certFile and tls.keyFile)");
  }

  @Test
  void nonTlsFailure_keepsItsMessage_withTheRealCause() {
    assertThat(TlsFailures.describe(paho(new ConnectException("Connection refused")), CA, CERT))
        .isEqualTo("Untranslated MqttException - RC: 0 (ConnectException: Connection refused)");
  }

  private static SSLHandshakeException handshake(String message, Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException(message);
    e.initCause(cause);
    return e;
  }

  private static MqttException paho(Throwable cause) {
    return new MqttException(0, cause);
  }
}
