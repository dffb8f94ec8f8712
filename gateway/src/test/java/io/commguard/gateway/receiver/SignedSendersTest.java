package io.commguard.gateway.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.commguard.gateway.receiver.SignedSenders.Grant;
import io.commguard.gateway.receiver.SignedSenders.Refusal;
import io.commguard.gateway.security.HmacKey;
import io.commguard.gateway.wire.AlertEncoder;
import io.commguard.gateway.wire.Seal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver's acceptance of signed batches: key, gateway binding, replay. */
class SignedSendersTest {
  private static final HmacKey KEY_A = HmacKey.of(new byte[32]);
  private static final HmacKey KEY_B = HmacKey.of(new byte[40]);

  @TempDir Path dir;

  @Test
  void replayedOrOlderSequence_isRefused_newerAccepted() {
    SignedSenders senders = new SignedSenders(List.of(new Grant(KEY_A, null)));

    assertThat(senders.check(Seal.ALERT_BATCH, signed("gw-a", KEY_A, 10), "gw-a")).isNull();
    assertThat(senders.check(Seal.ALERT_BATCH, signed("gw-a", KEY_A, 10), "gw-a")).isEqualTo(Refusal.REPLAYED);
    assertThat(senders.check(Seal.ALERT_BATCH, signed("gw-a", KEY_A, 9), "gw-a")).isEqualTo(Refusal.REPLAYED);
    assertThat(senders.check(Seal.ALERT_BATCH, signed("gw-a", KEY_A, 11), "gw-a")).isNull();
    // Each gateway and message type has its own mark.
    assertThat(senders.check(Seal.ALERT_BATCH, signed("gw-b", KEY_A, 3), "gw-b")).isNull();
    assertThat(senders.check(Seal.GATEWAY_STATUS, Seal.seal(Seal.GATEWAY_STATUS, new byte[0], KEY_A, 5), "gw-a")).isNull();
  }

  @Test
  void keyBoundToAGateway_isUnknownForAnother() {
    SignedSenders senders = new SignedSenders(List.of(new Grant(KEY_A, "gw-a"), new Grant(KEY_B, null)));

    assertThat(senders.check(Seal.ALERT_BATCH, signed("gw-a", KEY_A, 1), "gw-a")).isNull();
    assertThat(senders.check(Seal.ALERT_BATCH, signed("gw-x", KEY_A, 1), "gw-x")).isEqualTo(Refusal.UNKNOWN_KEY);
    assertThat(senders.check(Seal.ALERT_BATCH, signed("gw-x", KEY_B, 1), "gw-x")).isNull();
  }

  @Test
  void refusedMessage_doesNotMoveTheMark() {
    SignedSenders senders = new SignedSenders(List.of(new Grant(KEY_A, null)));
    byte[] forged = signed("gw-a", KEY_B, 1_000);

    assertThat(senders.check(Seal.ALERT_BATCH, forged, "gw-a")).isEqualTo(Refusal.UNKNOWN_KEY);
    assertThat(senders.check(Seal.ALERT_BATCH, signed("gw-a", KEY_A, 1), "gw-a")).isNull();
    assertThat(senders.check(Seal.ALERT_BATCH, AlertEncoder.batch("gw-a", 1, 1, List.of()), "gw-a"))
        .isEqualTo(Refusal.UNSIGNED);
  }

  @Test
  void grant_readsGatewayAndFile_andRefusesAKeyOthersCanRead() throws Exception {
    Path key = dir.resolve("gw-a.key");
    Files.write(key, new byte[32]);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

    Grant grant = Grant.parse("gw-a=" + key);
    assertThat(grant.gatewayId()).isEqualTo("gw-a");
    assertThat(grant.key().id()).isEqualTo(KEY_A.id());
    assertThat(Grant.parse(key.toString()).gatewayId()).isNull();

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> Grant.parse(key.toString())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(key.toString()).hasMessageContaining("chmod 600");
  }

  private static byte[] signed(String gatewayId, HmacKey key, long sequence) {
    return Seal.seal(Seal.ALERT_BATCH, AlertEncoder.batch(gatewayId, 1, 1, List.of()), key, sequence);
  }
}
