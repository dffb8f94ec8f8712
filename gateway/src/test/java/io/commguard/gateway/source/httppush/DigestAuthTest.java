package io.commguard.gateway.source.httppush;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.digest.DigestMath;
import io.commguard.gateway.security.DigestHash;
import io.commguard.gateway.security.LoginThrottle;
import io.commguard.gateway.source.httppush.PushAuth.Verdict;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** HTTP Digest as a device's HTTP client answers it, with a driven clock for nonce expiry. */
class DigestAuthTest {
  private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");
  private final AtomicLong now = new AtomicLong(1_795_000_000_000L);
  private final DigestAuth digest = new DigestAuth("commguard", now::get, new LoginThrottle(2, 300, 100, () -> now.get() * 1_000_000L));
  private final String md5 = DigestHash.of(false, "cam-1", "commguard", "s3cret-pass".toCharArray());
  private final String sha256 = DigestHash.of(true, "cam-1", "commguard", "s3cret-pass".toCharArray());

  @Test
  void rightAnswer_isAccepted_md5AndSha256_withAndWithoutQop() {
    assertThat(verify(md5, "s3cret-pass", true, nonceOf(md5), "10.0.0.1")).isEqualTo(Verdict.OK);
    assertThat(verify(sha256, "s3cret-pass", true, nonceOf(sha256), "10.0.0.1")).isEqualTo(Verdict.OK);
    assertThat(verify(md5, "s3cret-pass", false, nonceOf(md5), "10.0.0.1")).isEqualTo(Verdict.OK);
  }

  @Test
  void wrongPassword_orForgedNonce_isRefused_andRepeatedFailuresLockTheAddressOut() {
    assertThat(verify(md5, "guess-one", true, nonceOf(md5), "10.0.0.9").reason()).isEqualTo("bad_credentials");
    assertThat(verify(md5, "s3cret-pass", true, "18c1a7b2f00-00000000000000000000000000000000", "10.0.0.9").reason())
        .isEqualTo("bad_credentials");
    verify(md5, "guess-three", true, nonceOf(md5), "10.0.0.9");
    assertThat(verify(md5, "s3cret-pass", true, nonceOf(md5), "10.0.0.9").reason()).isEqualTo("locked_out");
  }

  @Test
  void oldNonce_isStale_andTheNewChallengeSaysSo() {
    String nonce = nonceOf(md5);
    now.addAndGet(DigestAuth.NONCE_LIFETIME_MS + 1);
    Verdict v = verify(md5, "s3cret-pass", true, nonce, "10.0.0.1");
    assertThat(v.reason()).isEqualTo("stale_nonce");
    assertThat(v.challenge()).isTrue();
    assertThat(digest.challenge(md5, true)).contains("stale=true", "algorithm=MD5", "qop=\"auth\"");
  }

  private String nonceOf(String stored) {
    Matcher m = NONCE.matcher(digest.challenge(stored, false));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  /** The Authorization header a client computes from the password, as RFC 7616 says. */
  private Verdict verify(String stored, String password, boolean qop, String nonce, String address) {
    String algorithm = DigestHash.algorithm(stored);
    String uri = "/push/cam-1";
    String ha1 = DigestMath.ha1(algorithm, "cam-1", "commguard", password);
    String ha2 = DigestMath.ha2(algorithm, "POST", uri);
    String response = qop ? DigestMath.response(algorithm, ha1, nonce, "00000001", "0a4f113b", "auth", ha2)
        : DigestMath.response(algorithm, ha1, nonce, null, null, null, ha2);
    String header = "Digest username=\"cam-1\", realm=\"commguard\", nonce=\"" + nonce + "\", uri=\"" + uri + "\", "
        + (qop ? "qop=auth, nc=00000001, cnonce=\"0a4f113b\", " : "") + "response=\"" + response + "\", algorithm="
        + algorithm;
    return digest.verify("cam-1", stored, header, "POST", uri, address);
  }
}
