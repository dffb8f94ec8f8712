package io.commguard.gateway.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.alert.v1.AlertBatch;
import io.commguard.gateway.outbox.Drafts;
import io.commguard.gateway.model.CanonicalType;
import io.commguard.gateway.security.HmacKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Signed uplink messages: the documented bytes, the test vector in the alert contract, and what a change does. */
class SealTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Path CONTRACT = Path.of(System.getProperty("profiles.dir", "../device-profiles"))
      .toAbsolutePath().getParent().resolve("docs/alert-contract.md");
  private static final HmacKey KEY = HmacKey.of(HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

  @Test
  void testVector_inTheContract_isWhatTheGatewaySends() throws Exception {
    Map<String, String> vector = vector();
    HmacKey key = HmacKey.of(HEX.parseHex(vector.get("key")));
    byte[] message = AlertEncoder.batch("gw-310115-0042", 1, 1_795_000_000_000L, List.of());

    byte[] payload = Seal.seal(Seal.ALERT_BATCH, message, key, Long.parseLong(vector.get("sequence")));

    assertThat(key.id()).isEqualTo(vector.get("key id"));
    assertThat(HEX.formatHex(message)).isEqualTo(vector.get("message"));
    assertThat(HEX.formatHex(payload)).isEqualTo(vector.get("payload"));
    assertThat(HEX.formatHex(payload, 0, payload.length - 34)).isEqualTo(vector.get("signed"));
    assertThat(HEX.formatHex(payload, payload.length - 32, payload.length)).isEqualTo(vector.get("hmac"));
  }

  @Test
  void mac_isHmacSha256OfTypeNameZeroAndSignedBytes_asDocumented() throws Exception {
    byte[] payload = Seal.seal(Seal.ALERT_BATCH, batchWithAlert(), KEY, 7);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), "HmacSHA256"));
    mac.update("commguard.alert.v1.AlertBatch\0".getBytes(StandardCharsets.UTF_8));
    mac.update(payload, 0, payload.length - 34);

    assertThat(payload[payload.length - 34]).isEqualTo((byte) 0x7a);
    assertThat(payload[payload.length - 33]).isEqualTo((byte) 0x20);
    assertThat(Arrays.copyOfRange(payload, payload.length - 32, payload.length)).isEqualTo(mac.doFinal());
  }

  @Test
  void signedBatch_readByTheGeneratedParser_keepsEveryAlertField_andCarriesTheSeal() throws Exception {
    byte[] unsigned = batchWithAlert();
    AlertBatch parsed = AlertBatch.parseFrom(Seal.seal(Seal.ALERT_BATCH, unsigned, KEY, 99));

    assertThat(parsed.toBuilder().clearHmacKeyId().clearHmacSequence().clearHmac().build())
        .isEqualTo(AlertBatch.parseFrom(unsigned));
    assertThat(parsed.getHmacKeyId()).isEqualTo(KEY.id());
    assertThat(parsed.getHmacSequence()).isEqualTo(99);
    assertThat(parsed.getHmac().size()).isEqualTo(32);
  }

  @Test
  void verify_acceptsTheSignedBytes_andNamesKeyAndSequence() {
    Seal.Verdict v = Seal.verify(Seal.ALERT_BATCH, Seal.seal(Seal.ALERT_BATCH, batchWithAlert(), KEY, 12), id -> KEY);

    assertThat(v.valid()).isTrue();
    assertThat(v.keyId()).isEqualTo(KEY.id());
    assertThat(v.sequence()).isEqualTo(12);
  }

  @Test
  void verify_refusesEveryChangedByte() {
    byte[] payload = Seal.seal(Seal.ALERT_BATCH, batchWithAlert(), KEY, 12);
    for (int i = 0; i < payload.length; i++) {
      byte[] changed = payload.clone();
      changed[i] ^= 0x01;
      assertThat(Seal.verify(Seal.ALERT_BATCH, changed, id -> KEY.id().equals(id) ? KEY : null).valid())
          .as("byte %d changed", i).isFalse();
    }
  }

  @Test
  void verify_namesWhyAMessageIsRefused() {
    byte[] unsigned = batchWithAlert();
    byte[] payload = Seal.seal(Seal.ALERT_BATCH, unsigned, KEY, 12);
    HmacKey other = HmacKey.of(new byte[32]);

    assertThat(Seal.verify(Seal.ALERT_BATCH, unsigned, id -> KEY).refusal()).isEqualTo(Seal.Refusal.UNSIGNED);
    assertThat(Seal.verify(Seal.ALERT_BATCH, new byte[0], id -> KEY).refusal()).isEqualTo(Seal.Refusal.UNSIGNED);
    assertThat(Seal.verify(Seal.ALERT_BATCH, payload, id -> null).refusal()).isEqualTo(Seal.Refusal.UNKNOWN_KEY);
    assertThat(Seal.verify(Seal.ALERT_BATCH, payload, id -> other).refusal()).isEqualTo(Seal.Refusal.BAD_SIGNATURE);
    // The type name is signed: a signed batch is not a valid status message.
    assertThat(Seal.verify(Seal.GATEWAY_STATUS, payload, id -> KEY).refusal()).isEqualTo(Seal.Refusal.BAD_SIGNATURE);
    // Bytes appended after the MAC: the MAC is no longer last.
    byte[] appended = Arrays.copyOf(payload, payload.length + 2);
    appended[payload.length] = 0x10;
    assertThat(Seal.verify(Seal.ALERT_BATCH, appended, id -> KEY).refusal()).isEqualTo(Seal.Refusal.UNSIGNED);
  }

  private static byte[] batchWithAlert() {
    byte[] alert = AlertEncoder.encode(Drafts.alarm("gas-1", CanonicalType.GAS_LEAK, 1), 5, "gw-1").toByteArray();
    return AlertEncoder.batch("gw-1", 1_000, 1_795_000_000_000L, List.of(alert));
  }

  /** The {@code name: hex} lines of the contract's test vector block. */
  private static Map<String, String> vector() throws Exception {
    String doc = Files.readString(CONTRACT);
    String block = doc.substring(doc.indexOf("**Test vector**"));
    block = block.substring(block.indexOf("```") + 3, block.indexOf("```", block.indexOf("```") + 3));
    Matcher m = Pattern.compile("(?m)^([a-z ]+):\\s+(\\S+)$").matcher(block);
    Map<String, String> out = new java.util.HashMap<>();
    while (m.find()) {
      out.put(m.group(1).trim(), m.group(2));
    }
    assertThat(out).containsKeys("key", "key id", "message", "sequence", "signed", "hmac", "payload");
    return out;
  }
}
