package io.commguard.gateway.digest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The published examples of RFC 7616 (section 3.9.1) and RFC 2617 (section 3.5), and the -sess rule. */
class DigestMathTest {
  private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  private static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  private static final String REALM = "http-auth@example.org";

  @Test
  void response_rfc7616Examples_md5AndSha256() {
    assertThat(rfc7616("MD5")).isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
    assertThat(rfc7616("SHA-256")).isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  }

  @Test
  void response_rfc2617Example_md5WithQop() {
    String ha1 = DigestMath.ha1("MD5", "Mufasa", "testrealm@host.com", "Circle Of Life");
    String ha2 = DigestMath.ha2("MD5", "GET", "/dir/index.html");
    assertThat(DigestMath.response("MD5", ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth",
        ha2)).isEqualTo("6629fae49393a05397450978507c4ef1");
  }

  @Test
  void response_withoutQop_isKdOfHa1NonceAndHa2() {
    String ha1 = DigestMath.ha1("MD5", "u", "r", "p");
    String ha2 = DigestMath.ha2("MD5", "GET", "/x");
    assertThat(DigestMath.response("MD5", ha1, "n", null, null, null, ha2))
        .isEqualTo(DigestMath.h("MD5", ha1 + ":n:" + ha2));
  }

  @Test
  void sessionHa1_onlyForSessAlgorithms_coversNonceAndClientNonce() {
    String ha1 = DigestMath.ha1("SHA-256", "u", "r", "p");
    assertThat(DigestMath.sessionHa1("SHA-256", ha1, "n", "c")).isEqualTo(ha1);
    assertThat(DigestMath.sessionHa1("sha-256-sess", ha1, "n", "c")).isEqualTo(DigestMath.h("SHA-256", ha1 + ":n:c"))
        .hasSize(64);
    assertThat(DigestMath.ha1("MD5-sess", "u", "r", "p")).isEqualTo(DigestMath.ha1("MD5", "u", "r", "p"));
  }

  private static String rfc7616(String algorithm) {
    String ha1 = DigestMath.ha1(algorithm, "Mufasa", REALM, "Circle of Life");
    return DigestMath.response(algorithm, ha1, NONCE, "00000001", CNONCE, "auth",
        DigestMath.ha2(algorithm, "GET", "/dir/index.html"));
  }
}
