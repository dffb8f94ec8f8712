package io.commguard.gateway.northbound.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing sequence on a real file: rises across restarts and crashes, never handed out twice. */
class SealSequenceTest {
  @TempDir Path dir;

  @Test
  void restart_continuesAboveEveryValueUsed_evenAfterACrash() throws Exception {
    Path file = dir.resolve("uplink-hmac.seq");
    SealSequence first = SealSequence.open(file, 0);
    Set<Long> used = new HashSet<>();
    long last = -1;
    for (int i = 0; i < 3 * SealSequence.BLOCK + 5; i++) {
      long v = first.next();
      assertThat(v).isGreaterThan(last);
      assertThat(used.add(v)).isTrue();
      last = v;
    }
    // No close: the process died. The next start reads what was reserved.
    SealSequence second = SealSequence.open(file, 0);

    assertThat(second.next()).isGreaterThan(last);
    second.close();
    first.close();
  }

  @Test
  void file_isOwnerOnly_andHoldsTheReservedCeiling() throws Exception {
    Path file = dir.resolve("uplink-hmac.seq");
    SealSequence seq = SealSequence.open(file, 5_000);

    assertThat(seq.next()).isEqualTo(5_000);
    assertThat(Files.readString(file).strip()).isEqualTo(String.valueOf(5_000 + SealSequence.BLOCK));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    seq.close();
  }

  @Test
  void lostFile_startsFromTheClockFloor_andAStoredCeilingAboveTheClockWins() throws Exception {
    Path file = dir.resolve("uplink-hmac.seq");
    Files.writeString(file, "900000\n");

    SealSequence seq = SealSequence.open(file, 1_000);

    assertThat(seq.next()).isEqualTo(900_000);
    seq.close();
  }

  @Test
  void unwritableFile_refusesValuesBeyondTheReservedBlock_insteadOfReusingOne() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path file = sub.resolve("uplink-hmac.seq");
    SealSequence seq = SealSequence.open(file, 0);
    // The directory is gone (a disk unmounted under the gateway): no block can be reserved any more.
    Files.delete(file);
    Files.delete(sub);
    try {
      for (int i = 0; i < SealSequence.BLOCK; i++) {
        assertThat(seq.next()).isEqualTo(i);
      }
      assertThatThrownBy(seq::next).isInstanceOf(UncheckedIOException.class).hasMessageContaining(file.toString());
      assertThatThrownBy(seq::next).isInstanceOf(UncheckedIOException.class);
    } finally {
      seq.close();
    }
  }
}
