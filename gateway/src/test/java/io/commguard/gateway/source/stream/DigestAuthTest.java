package io.commguard.gateway.source.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DigestAuthTest {
  private static final String RFC7616_NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  private static final String RFC7616_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

  @Test
  void parse_twoDigestChallengesAndBasic_prefersSha256AndNotesBasic() {
    DigestAuth.Offer offer = DigestAuth.parse(List.of(
        "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, nonce=\"" + RFC7616_NONCE
            + "\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"",
        "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, nonce=\""
            + RFC7616_NONCE + "\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"",
        "Basic realm=\"http-auth@example.org\""));
    assertThat(offer.basic()).isTrue();
    assertThat(offer.digest().algorithm()).isEqualTo("SHA-256");
    assertThat(offer.digest().qopAuth()).isTrue();
    assertThat(offer.digest().stale()).isFalse();
  }

  @Test
  void parse_oneHeaderWithDigestThenBasic_readsBoth() {
    DigestAuth.Offer offer = DigestAuth.parse(List.of(
        "Digest qop=\"auth\", realm=\"IP Camera(C6271)\", nonce=\"4e5445344d6a4d344e4455364e6a4d=\", stale=\"TRUE\", "
            + "Basic realm=\"IP Camera(C6271)\""));
    assertThat(offer.basic()).isTrue();
    assertThat(offer.digest().realm()).isEqualTo("IP Camera(C6271)");
    assertThat(offer.digest().nonce()).isEqualTo("4e5445344d6a4d344e4455364e6a4d=");
    assertThat(offer.digest().algorithm()).isEqualTo("MD5");
    assertThat(offer.digest().stale()).isTrue();
  }

  @Test
  void parse_onlyUnsupportedAlgorithmsOrQop_givesNoDigest() {
    assertThat(DigestAuth.parse(List.of("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256")).digest()).isNull();
    assertThat(DigestAuth.parse(List.of("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"")).digest()).isNull();
    assertThat(DigestAuth.parse(List.of("Bearer realm=\"r\"")).basic()).isFalse();
  }

  @Test
  void authorization_rfc7616Md5Example_matchesTheRfcResponse() {
    DigestAuth auth = rfc7616("MD5");
    String header = auth.authorization("GET", "/dir/index.html", "Mufasa", "Circle of Life", RFC7616_CNONCE);
    assertThat(header).contains("response=\"8ca523f5e9506fed4657c9700eebdbec\"", "nc=00000001", "qop=auth",
        "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"", "algorithm=MD5");
  }

  @Test
  void authorization_rfc7616Sha256Example_matchesTheRfcResponse() {
    DigestAuth auth = rfc7616("SHA-256");
    String header = auth.authorization("GET", "/dir/index.html", "Mufasa", "Circle of Life", RFC7616_CNONCE);
    assertThat(header).contains("response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\"",
        "algorithm=SHA-256");
  }

  @Test
  void authorization_rfc2617Example_matchesAndCountsNonceUses() {
    DigestAuth auth = new DigestAuth();
    auth.use(new DigestAuth.Challenge("testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        "5ccc069c403ebaf9f0171e9517f40e41", "MD5", true, false));
    String first = auth.authorization("GET", "/dir/index.html", "Mufasa", "Circle Of Life", "0a4f113b");
    assertThat(first).contains("response=\"6629fae49393a05397450978507c4ef1\"", "nc=00000001");
    assertThat(auth.authorization("GET", "/dir/index.html", "Mufasa", "Circle Of Life")).contains("nc=00000002");
    auth.use(new DigestAuth.Challenge("testrealm@host.com", "fresh", null, "MD5", true, true));
    assertThat(auth.authorization("GET", "/x", "Mufasa", "Circle Of Life")).contains("nc=00000001")
        .doesNotContain("opaque");
  }

  @Test
  void authorization_withoutQop_usesTheRfc2069Form() {
    DigestAuth auth = new DigestAuth();
    auth.use(new DigestAuth.Challenge("r", "n", null, "MD5", false, false));
    // H(H(u:r:p):n:H(GET:/a)) computed by hand with md5sum.
    assertThat(auth.authorization("GET", "/a", "u", "p")).doesNotContain("qop", "nc=", "cnonce")
        .contains("response=\"" + md5(md5("u:r:p") + ":n:" + md5("GET:/a")) + "\"");
  }

  @Test
  void authorization_quotesAUserNameWithAQuote() {
    DigestAuth auth = new DigestAuth();
    auth.use(new DigestAuth.Challenge("r", "n", null, "MD5", true, false));
    assertThat(auth.authorization("GET", "/a", "ev\"il", "p")).contains("username=\"ev\\\"il\"");
  }

  private static DigestAuth rfc7616(String algorithm) {
    DigestAuth auth = new DigestAuth();
    DigestAuth.Offer offer = DigestAuth.parse(List.of("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", "
        + "algorithm=" + algorithm + ", nonce=\"" + RFC7616_NONCE + "\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""));
    auth.use(offer.digest());
    return auth;
  }

  private static String md5(String text) throws RuntimeException {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
