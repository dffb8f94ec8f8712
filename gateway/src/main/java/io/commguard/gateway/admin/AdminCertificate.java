package io.commguard.gateway.admin;

import io.commguard.gateway.config.AdminConfig;
import io.commguard.gateway.security.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate and key the admin API serves over HTTPS: {@code admin.tls.certFile} and {@code
 * keyFile} when configured, else a self-signed one made at first start in the data directory
 * ({@value #CERT_FILE}, {@value #KEY_FILE}; 0600; ECDSA P-256, valid 10 years, named for {@code
 * localhost}, the loopback addresses, this host's name and {@code admin.host}). Its SHA-256
 * fingerprint is logged at every start, so a technician can compare it with what the browser
 * shows before trusting it. Blocking file I/O: call at boot.
 *
 * @param certFile PEM certificate
 * @param keyFile PEM PKCS#8 private key
 * @param fingerprint SHA-256 of the certificate, upper-case hex pairs joined by colons
 */
public record AdminCertificate(Path certFile, Path keyFile, String fingerprint) {
  public static final String CERT_FILE = "admin-tls.crt";
  public static final String KEY_FILE = "admin-tls.key";
  private static final Duration VALIDITY = Duration.ofDays(3650);

  /**
   * The configured pair, or the data directory's generated one (made now when missing).
   *
   * @throws IllegalStateException naming the file that cannot be read or made
   */
  public static AdminCertificate load(AdminConfig config, Path dataDir, Clock clock) {
    try {
      if (config.tls().certFile() != null) {
        Path cert = Path.of(config.tls().certFile());
        Path key = Path.of(config.tls().keyFile());
        PrivateFiles.trustedSecret(key);
        return new AdminCertificate(cert, key, fingerprint(cert));
      }
      Path cert = dataDir.resolve(CERT_FILE);
      Path key = dataDir.resolve(KEY_FILE);
      if (!Files.exists(cert) || !Files.exists(key)) {
        generate(cert, key, config.host(), clock);
      }
      PrivateFiles.trustedSecret(key);
      return new AdminCertificate(cert, key, fingerprint(cert));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot load the admin API's HTTPS certificate: " + e.getMessage(), e);
    }
  }

  static void generate(Path cert, Path key, String host, Clock clock) throws IOException, GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name("CN=CommGuard gateway,O=CommGuard");
    Instant now = clock.instant();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, new SecureRandom()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), name, pair.getPublic());
    List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1")));
    try {
      names.add(new GeneralName(GeneralName.dNSName, InetAddress.getLocalHost().getHostName()));
    } catch (IOException e) {
      // no host name to add: the addresses still name the box
    }
    if (host.matches("[0-9.]+|[0-9a-fA-F:]+") && !host.equals("0.0.0.0") && !host.equals("::")) {
      names.add(new GeneralName(GeneralName.iPAddress, host));
    } else if (!host.matches("[0-9.]+|[0-9a-fA-F:]+|localhost")) {
      names.add(new GeneralName(GeneralName.dNSName, host));
    }
    try {
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate certificate = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      PrivateFiles.ownerOnlyFile(key);
      Files.writeString(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
      PrivateFiles.ownerOnlyFile(cert);
      Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the certificate: " + e.getMessage(), e);
    }
  }

  private static String fingerprint(Path cert) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(cert)) {
      X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
