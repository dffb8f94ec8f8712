package io.commguard.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class ReceiptTest {
  @Property(tries = 300)
  void aRetransmission_hasTheIdentityOfItsFirstSending(@ForAll @IntRange(min = 1, max = 65535) int packetId,
      @ForAll @StringLength(max = 300) String payload) {
    Receipt first = Receipt.of("gas-1", packetId, false, "devices/gas-1/report", bytes(payload));
    Receipt again = Receipt.of("gas-1", packetId, true, "devices/gas-1/report", bytes(payload));
    assertThat(again.identity()).isEqualTo(first.identity());
    assertThat(again.duplicate()).isTrue();
  }

  @Property(tries = 300)
  void anotherMessageUnderTheSamePacketId_isAnotherIdentity(@ForAll @IntRange(min = 1, max = 65535) int packetId,
      @ForAll @StringLength(max = 300) String payload, @ForAll @StringLength(max = 300) String other) {
    Receipt first = Receipt.of("gas-1", packetId, false, "devices/gas-1/report", bytes(payload));
    Receipt second = Receipt.of("gas-1", packetId, false, "devices/gas-1/report", bytes(other));
    assertThat(second.identity().equals(first.identity())).isEqualTo(payload.equals(other));
  }

  @Property(tries = 100)
  void theTopicIsPartOfTheIdentity(@ForAll @StringLength(max = 100) String payload) {
    Receipt report = Receipt.of("gas-1", 9, false, "devices/gas-1/report", bytes(payload));
    Receipt status = Receipt.of("gas-1", 9, false, "devices/gas-1/status", bytes(payload));
    assertThat(status.identity()).isNotEqualTo(report.identity());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
