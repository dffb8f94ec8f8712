package io.commguard.gateway.source.modbus;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.pdu.ModbusRequestPdu;
import com.digitalpetri.modbus.pdu.ModbusResponsePdu;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import io.commguard.gateway.source.LinkScanning;
import io.commguard.gateway.source.LinkScanning.Answer;
import io.commguard.gateway.source.LinkScanning.ScanProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A scan of one link's unit ids: one minimal read (holding register 0, quantity 1) per unit, one
 * at a time, each an on-demand request that takes turns with the running polls and waits at most
 * the link's {@code timeoutMs}. A unit answers with data or with a Modbus exception (it is there,
 * but refuses that register); silence until the timeout means no unit there. A broken connection
 * ends the scan with the reason. The next probe is sent from the previous one's answer, on the
 * poller thread.
 */
final class LinkScan implements LinkScanning.Scan {
  static final ModbusRequestPdu PROBE = new ReadHoldingRegistersRequest(0, 1);
  /** Reasons that mean the link itself is gone, not one unit: probing on would only repeat them. */
  private static final Set<String> ENDS_SCAN = Set.of(ErrorReason.CONNECT_FAILED, ErrorReason.CONNECTION,
      ErrorReason.PORT_BLOCKED, "stopped", "busy");

  private final int first;
  private final int last;
  private final BiFunction<Integer, ModbusRequestPdu, CompletionStage<ModbusResponsePdu>> send;
  private final IntFunction<String> deviceAt;
  private final Consumer<ScanProgress> progress;
  private final Executor poller;
  private final List<Answer> answered = new ArrayList<>();
  private final CompletableFuture<ScanProgress> done = new CompletableFuture<>();
  private volatile boolean cancelled;
  private int next;

  /**
   * @param send sends one request to a unit on the link ({@link LinkPoller#request})
   * @param deviceAt the configured device at a unit id, or null
   * @param poller where answers are handled, one at a time
   */
  LinkScan(int first, int last, BiFunction<Integer, ModbusRequestPdu, CompletionStage<ModbusResponsePdu>> send,
      IntFunction<String> deviceAt, Consumer<ScanProgress> progress, Executor poller) {
    this.first = first;
    this.last = last;
    this.send = send;
    this.deviceAt = deviceAt;
    this.progress = progress;
    this.poller = poller;
    this.next = first;
  }

  /** Sends the first probe. */
  LinkScan start() {
    poller.execute(this::probe);
    return this;
  }

  @Override
  public CompletionStage<ScanProgress> done() {
    return done;
  }

  @Override
  public void cancel() {
    cancelled = true;
  }

  private void probe() {
    if (cancelled) {
      finish(null);
      return;
    }
    if (next > last) {
      finish(null);
      return;
    }
    int unit = next;
    send.apply(unit, PROBE).whenCompleteAsync((pdu, ex) -> answered(unit, ex), poller);
  }

  private void answered(int unit, Throwable ex) {
    Answer answer = null;
    if (ex == null) {
      answer = new Answer(unit, null, null, deviceAt.apply(unit));
    } else if (ErrorReason.unwrap(ex) instanceof ModbusResponseException e) {
      int code = e.getExceptionCode();
      answer = new Answer(unit, code, ExceptionCode.from(code).map(c -> c.name().toLowerCase(Locale.ROOT))
          .orElse("code_" + code), deviceAt.apply(unit));
    } else {
      String reason = ErrorReason.of(ex);
      if (ENDS_SCAN.contains(reason)) {
        finish(reason + ": " + ErrorReason.detail(ex));
        return;
      }
      if (!reason.equals(ErrorReason.TIMEOUT) && !reason.equals(ErrorReason.UNIT_ID_MISMATCH)) {
        // A garbled answer (bad CRC, out of sync, malformed): something is at that id.
        answer = new Answer(unit, null, reason, deviceAt.apply(unit));
      }
    }
    if (answer != null) {
      answered.add(answer);
    }
    next = unit + 1;
    progress.accept(snapshot(false, null));
    probe();
  }

  private void finish(String failure) {
    ScanProgress end = snapshot(true, failure);
    progress.accept(end);
    done.complete(end);
  }

  private ScanProgress snapshot(boolean finished, String failure) {
    return new ScanProgress(next - first, last - first + 1, next, answered, finished, finished && cancelled && failure == null
        && next <= last, failure);
  }
}
