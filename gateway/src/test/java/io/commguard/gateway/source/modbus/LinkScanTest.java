package io.commguard.gateway.source.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.exceptions.ModbusTimeoutException;
import com.digitalpetri.modbus.pdu.ModbusRequestPdu;
import com.digitalpetri.modbus.pdu.ModbusResponsePdu;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersResponse;
import io.commguard.gateway.source.LinkScanning.Answer;
import io.commguard.gateway.source.LinkScanning.ScanProgress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** A link scan's logic, with answers scripted per unit id (no link, no time). */
class LinkScanTest {
  private final List<Integer> probed = new ArrayList<>();
  private final List<ScanProgress> reports = new CopyOnWriteArrayList<>();

  /** Answers unit 2 with data, unit 4 with exception 2, unit 5 with a bad CRC, unit 7 with a broken connection; the rest stay silent. */
  private CompletionStage<ModbusResponsePdu> bus(int unit, ModbusRequestPdu request) {
    probed.add(unit);
    return switch (unit) {
      case 2 -> CompletableFuture.completedFuture(new ReadHoldingRegistersResponse(new byte[2]));
      case 4 -> CompletableFuture.failedFuture(new ModbusResponseException(3, 2));
      case 5 -> CompletableFuture.failedFuture(new ErrorReason.ShortResponseException("garbled"));
      case 7 -> CompletableFuture.failedFuture(new ClosedChannelException());
      default -> CompletableFuture.failedFuture(new ModbusTimeoutException("no answer"));
    };
  }

  private LinkScan scan(int first, int last, IntFunction<String> devices) {
    return new LinkScan(first, last, this::bus, devices, reports::add, Runnable::run);
  }

  @Test
  void scan_probesEachUnitOnceInOrder_andReportsTheOnesThatAnswered_withTheirExceptionAndDevice() throws Exception {
    ScanProgress end = scan(1, 6, Map.of(2, "gas-2")::get).start().done().toCompletableFuture().get();

    assertThat(probed).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(end.answered()).containsExactly(
        new Answer(2, null, null, "gas-2"),
        new Answer(4, 2, "illegal_data_address", null),
        new Answer(5, null, "short_response", null));
    assertThat(end.finished()).isTrue();
    assertThat(end.cancelled()).isFalse();
    assertThat(end.failure()).isNull();
    assertThat(end.probed()).isEqualTo(6);
    assertThat(end.total()).isEqualTo(6);
    assertThat(reports).extracting(ScanProgress::probed).containsExactly(1, 2, 3, 4, 5, 6, 6);
  }

  @Test
  void scan_whoseLinkBreaks_stopsThere_withTheReason() throws Exception {
    ScanProgress end = scan(6, 10, u -> null).start().done().toCompletableFuture().get();

    assertThat(probed).containsExactly(6, 7);
    assertThat(end.finished()).isTrue();
    assertThat(end.failure()).startsWith("connection");
    assertThat(end.probed()).isEqualTo(1);
  }

  @Test
  void cancelledScan_sendsNoFurtherProbe_andSaysItWasCancelled() throws Exception {
    LinkScan[] scan = new LinkScan[1];
    scan[0] = new LinkScan(1, 247, (unit, pdu) -> {
      if (unit == 3) {
        scan[0].cancel();
      }
      return bus(unit, pdu);
    }, u -> null, reports::add, Runnable::run);
    ScanProgress end = scan[0].start().done().toCompletableFuture().get();

    assertThat(probed).containsExactly(1, 2, 3);
    assertThat(end.cancelled()).isTrue();
    assertThat(end.answered()).extracting(Answer::address).containsExactly(2);
  }
}
