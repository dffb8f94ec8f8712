package io.commguard.gateway.net;

import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Turns a failed TLS connection into one sentence an operator can act on: which certificate
 * (ours or the broker's), which check failed, and which file to look at — instead of the MQTT
 * client's "Untranslated MqttException - RC: 0". Pure function of the exception chain.
 */
public final class TlsFailures {
  private TlsFailures() {}

  /**
   * @param caFile the CA file the broker's certificate is checked against (null: the JVM's trust store)
   * @param certFile our client certificate (null: none presented)
   * @return a sentence for a TLS failure, else the deepest cause's message with its type
   */
  public static String describe(Throwable error, String caFile, String certFile) {
    if (error == null) {
      return "unknown";
    }
    SSLException ssl = find(error, SSLException.class);
    Throwable root = root(error);
    if (ssl == null) {
      return root == error ? String.valueOf(error.getMessage()) : error.getMessage() + " (" + summary(root) + ")";
    }
    String trust = caFile == null ? "the JVM's default trust store (set tls.caFile)" : "tls.caFile " + caFile;
    CertPathValidatorException path = find(error, CertPathValidatorException.class);
    CertificateExpiredException expired = find(error, CertificateExpiredException.class);
    CertificateNotYetValidException early = find(error, CertificateNotYetValidException.class);
    if (expired != null || early != null || path != null && path.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
      return "TLS: the broker's certificate " + failing(path) + "is outside its validity period ("
          + summary(expired != null ? expired : early != null ? early : path) + ")";
    }
    if (path != null) {
      return "TLS: the broker's certificate " + failing(path) + "failed the " + path.getReason() + " check against "
          + trust + " (" + summary(path) + ")";
    }
    String text = root.getMessage() == null ? "" : root.getMessage();
    if (text.contains("unable to find valid certification path") || text.contains("PKIX path building failed")) {
      return "TLS: the broker's certificate is not signed by a CA in " + trust;
    }
    if (text.contains("subject alternative name") || text.contains("No name matching") || text.contains("hostname")) {
      return "TLS: the broker's certificate does not name the host in uplink.brokerUrl (" + text + ")";
    }
    String alert = ssl.getMessage() == null ? "" : ssl.getMessage();
    if (alert.contains("bad_certificate") || alert.contains("certificate_required") || alert.contains("unknown_ca")
        || alert.contains("certificate_unknown")) {
      return "TLS: the broker refused " + (certFile == null ? "the connection without a client certificate (set tls.certFile and tls.keyFile)"
          : "our client certificate tls.certFile " + certFile) + " (" + alert + ")";
    }
    return "TLS handshake failed: " + summary(root);
  }

  private static String failing(CertPathValidatorException path) {
    if (path == null || path.getCertPath() == null || path.getIndex() < 0) {
      return "";
    }
    List<? extends Certificate> chain = path.getCertPath().getCertificates();
    if (path.getIndex() >= chain.size() || !(chain.get(path.getIndex()) instanceof X509Certificate x)) {
      return "";
    }
    return "'" + x.getSubjectX500Principal().getName() + "' (valid " + x.getNotBefore().toInstant() + " to "
        + x.getNotAfter().toInstant() + ") ";
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static Throwable root(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  private static String summary(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
