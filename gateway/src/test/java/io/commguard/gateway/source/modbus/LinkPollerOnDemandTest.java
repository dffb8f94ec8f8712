package io.commguard.gateway.source.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.digitalpetri.modbus.MbapHeader;
import com.digitalpetri.modbus.ModbusTcpFrame;
import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.client.ModbusTcpClientTransport;
import com.digitalpetri.modbus.pdu.ModbusResponsePdu;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import io.commguard.gateway.metrics.Counters;
import io.commguard.gateway.metrics.RateLimitedLog;
import io.commguard.gateway.model.DeviceRef;
import io.commguard.gateway.source.Ingest;
import io.commguard.gateway.source.modbus.ModbusLinkConfig.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How on-demand requests (test reads, scan probes) share a link with the running polls: they take
 * turns, one request on the wire at a time, and their queue is bounded. The link runs against a
 * transport that holds its answers until the test lets them go, so the order is deterministic.
 */
class LinkPollerOnDemandTest {
  private static final int POLLED_UNIT = 1;
  private static final int PROBED_UNIT = 9;
  /** Three points too far apart to merge: three requests per poll. */
  private static final ModbusDevice DEVICE = new ModbusDevice(new DeviceRef("gas-1", "p", "", null, ""), "bus", POLLED_UNIT,
      TestProfiles.inline("""
          addressBase: ZERO
          maxFill: 0
          groups:
            - name: all
              pollIntervalMs: 600000
              points:
                - {name: a, address: 0}
                - {name: b, address: 50}
                - {name: c, address: 100}
          """));

  private final PollerThread poller = new PollerThread();
  private final HeldTransport transport = new HeldTransport();
  private final Counters counters = new Counters();
  private LinkPoller link;

  @AfterEach
  void stop() throws Exception {
    if (link != null) {
      link.stop().get(5, TimeUnit.SECONDS);
    }
    poller.shutdown();
    transport.answers.shutdownNow();
  }

  private LinkPoller link(List<DeviceSession> sessions) {
    ModbusLinkConfig config = new ModbusLinkConfig("bus", Transport.TCP, "127.0.0.1", 502, null, null, null, null, null,
        5000, 1000, 0, null, 0, 3, 2000);
    ModbusTcpClient client = ModbusTcpClient.create(transport, cfg -> cfg.setRequestTimeout(Duration.ofSeconds(5)));
    RateLimitedLog log = new RateLimitedLog(System.getLogger("test"), 60_000);
    Ingest ingest = new Ingest(new RecordingSink(), counters, Executors.newSingleThreadScheduledExecutor());
    link = new LinkPoller(config, client, poller, sessions, new ModbusEvents(ingest, poller, log), counters, log);
    link.start();
    return link;
  }

  /** Waits until every task handed to the poller thread so far has run. */
  private void drainPoller() throws Exception {
    CompletableFuture<Void> drained = new CompletableFuture<>();
    poller.execute(() -> drained.complete(null));
    drained.get(5, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "polls waiting {0}, on-demand waiting {1}, last was on-demand {2} -> on-demand next {3}")
  @CsvSource({
      "true,  true,  false, true",
      "true,  true,  true,  false",
      "false, true,  true,  true",
      "false, true,  false, true",
      "true,  false, false, false",
      "false, false, false, false"})
  void onDemandsTurn_alternatesWithWaitingPolls_andTakesTheLinkWhenNoPollWaits(boolean polls, boolean onDemand,
      boolean lastWasOnDemand, boolean expected) {
    assertThat(LinkPoller.onDemandsTurn(polls, onDemand, lastWasOnDemand)).isEqualTo(expected);
  }

  @Test
  void onDemandRequests_takeTurnsWithAWaitingPoll_oneRequestOnTheWireAtATime() throws Exception {
    link(List.of(new DeviceSession(DEVICE)));
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.sent.size() == 1);
    List<CompletableFuture<ModbusResponsePdu>> probes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      probes.add(link.request(PROBED_UNIT, new ReadHoldingRegistersRequest(7, 1)));
    }
    drainPoller();

    transport.release();
    CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.sent.size() == 6);
    assertThat(transport.units()).as("each poll request waits for at most one on-demand request")
        .containsExactly(POLLED_UNIT, PROBED_UNIT, POLLED_UNIT, PROBED_UNIT, POLLED_UNIT, PROBED_UNIT);
    assertThat(transport.mostOutstanding.get()).isEqualTo(1);
    assertThat(counters.get("modbus_polls", "gas-1", "ok")).isEqualTo(1);

    // No poll waiting: on-demand requests go back to back.
    List<CompletableFuture<ModbusResponsePdu>> more = List.of(link.request(PROBED_UNIT, new ReadHoldingRegistersRequest(0, 1)),
        link.request(PROBED_UNIT + 1, new ReadHoldingRegistersRequest(0, 1)));
    CompletableFuture.allOf(more.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertThat(transport.units().subList(6, 8)).containsExactly(PROBED_UNIT, PROBED_UNIT + 1);
  }

  @Test
  void onDemandQueue_isBounded_theRequestBeyondIsRefusedAtOnce() throws Exception {
    link(List.of());
    transport.release();
    link.request(PROBED_UNIT, new ReadHoldingRegistersRequest(0, 1)).get(5, TimeUnit.SECONDS); // connected
    transport.hold();
    List<CompletableFuture<ModbusResponsePdu>> requests = new ArrayList<>();
    for (int i = 0; i < LinkPoller.MAX_ON_DEMAND + 2; i++) {
      requests.add(link.request(PROBED_UNIT, new ReadHoldingRegistersRequest(0, 1)));
    }
    drainPoller();
    CompletableFuture<ModbusResponsePdu> last = requests.get(requests.size() - 1);
    assertThat(last).isCompletedExceptionally();
    assertThat(ErrorReason.of(last.handle((v, e) -> e).get())).isEqualTo("busy");
    assertThat(requests.subList(0, requests.size() - 1)).noneMatch(CompletableFuture::isDone);

    transport.release();
    CompletableFuture.allOf(requests.subList(0, requests.size() - 1).toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertThat(transport.mostOutstanding.get()).isEqualTo(1);
  }

  /**
   * A Modbus TCP transport that answers every read with zeros, holding the answers back while told
   * to; it records the unit id of every request sent and the most requests ever unanswered at once.
   */
  private static final class HeldTransport implements ModbusTcpClientTransport {
    final List<ModbusTcpFrame> sent = new CopyOnWriteArrayList<>();
    final AtomicInteger mostOutstanding = new AtomicInteger();
    final ExecutorService answers = Executors.newSingleThreadExecutor();
    private final List<ModbusTcpFrame> held = new ArrayList<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile Consumer<ModbusTcpFrame> receiver;
    private volatile boolean connected;
    private boolean holding = true;

    List<Integer> units() {
      return sent.stream().map(f -> f.header().unitId()).toList();
    }

    synchronized void hold() {
      holding = true;
    }

    synchronized void release() {
      holding = false;
      held.forEach(this::answer);
      held.clear();
    }

    @Override
    public CompletableFuture<Void> connect() {
      connected = true;
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> disconnect() {
      connected = false;
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isConnected() {
      return connected;
    }

    @Override
    public synchronized CompletableFuture<Void> send(ModbusTcpFrame frame) {
      sent.add(frame);
      mostOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
      if (holding) {
        held.add(frame);
      } else {
        answer(frame);
      }
      return CompletableFuture.completedFuture(null);
    }

    private void answer(ModbusTcpFrame request) {
      ByteBuffer pdu = request.pdu().duplicate();
      int function = pdu.get(0) & 0xFF;
      int quantity = pdu.getShort(3) & 0xFFFF;
      byte[] bytes = new byte[2 + quantity * 2];
      bytes[0] = (byte) function;
      bytes[1] = (byte) (quantity * 2);
      ByteBuffer response = ByteBuffer.wrap(bytes);
      MbapHeader header = new MbapHeader(request.header().transactionId(), 0, response.remaining() + 1, request.header().unitId());
      answers.execute(() -> {
        outstanding.decrementAndGet();
        receiver.accept(new ModbusTcpFrame(header, response));
      });
    }

    @Override
    public void receive(Consumer<ModbusTcpFrame> frameReceiver) {
      this.receiver = frameReceiver;
    }
  }
}
