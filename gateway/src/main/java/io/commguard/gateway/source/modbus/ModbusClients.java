package io.commguard.gateway.source.modbus;

import com.digitalpetri.modbus.ModbusTcpFrame;
import com.digitalpetri.modbus.client.ModbusClient;
import com.digitalpetri.modbus.client.ModbusRtuClient;
import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.client.ModbusTcpClientTransport;
import com.digitalpetri.modbus.serial.client.SerialPortClientTransport;
import com.digitalpetri.modbus.tcp.client.NettyRtuClientTransport;
import com.digitalpetri.modbus.tcp.client.NettyTcpClientTransport;
import com.fazecast.jSerialComm.SerialPort;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Builds the digitalpetri Modbus client of a link: Modbus TCP and RTU-over-TCP on Netty, RTU on a
 * serial port through jSerialComm. Framing, CRC and transaction ids are the library's.
 */
final class ModbusClients {
  private ModbusClients() {}

  /**
   * @param onUnitIdMismatch called with (expected, actual) unit id when a Modbus TCP response
   *     carries another unit id than its request; the response is then discarded (the RTU client
   *     checks this itself and fails the request)
   */
  static ModbusClient create(ModbusLinkConfig link, BiConsumer<Integer, Integer> onUnitIdMismatch) {
    Duration timeout = Duration.ofMillis(link.timeoutMs());
    Duration connectTimeout = Duration.ofMillis(link.connectTimeoutMs());
    return switch (link.transport()) {
      case TCP -> ModbusTcpClient.create(
          new UnitIdCheckingTransport(NettyTcpClientTransport.create(cfg -> cfg
              .setHostname(link.host()).setPort(link.port()).setConnectTimeout(connectTimeout)
              .setConnectPersistent(true)), onUnitIdMismatch),
          cfg -> cfg.setRequestTimeout(timeout));
      case RTU_OVER_TCP -> ModbusRtuClient.create(
          NettyRtuClientTransport.create(cfg -> cfg
              .setHostname(link.host()).setPort(link.port()).setConnectTimeout(connectTimeout)
              .setConnectPersistent(true)),
          cfg -> cfg.setRequestTimeout(timeout));
      case RTU -> ModbusRtuClient.create(
          SerialPortClientTransport.create(cfg -> cfg
              .setSerialPort(link.serialPort()).setBaudRate(link.baudRate())
              .setDataBits(link.dataBits()).setStopBits(stopBits(link.stopBits()))
              .setParity(parity(link.parity()))),
          cfg -> cfg.setRequestTimeout(timeout));
    };
  }

  private static int stopBits(int stopBits) {
    return stopBits == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT;
  }

  private static int parity(ModbusLinkConfig.Parity parity) {
    return switch (parity) {
      case NONE -> SerialPort.NO_PARITY;
      case EVEN -> SerialPort.EVEN_PARITY;
      case ODD -> SerialPort.ODD_PARITY;
    };
  }

  /**
   * Drops Modbus TCP responses whose unit id differs from their request's (the library matches
   * responses by transaction id only) and reports them. The map holds at most one entry per
   * transaction id (65,536), entries of timed-out requests being overwritten when ids wrap.
   */
  private static final class UnitIdCheckingTransport implements ModbusTcpClientTransport {
    private final ModbusTcpClientTransport delegate;
    private final BiConsumer<Integer, Integer> onMismatch;
    private final Map<Integer, Integer> unitByTransaction = new ConcurrentHashMap<>();

    UnitIdCheckingTransport(ModbusTcpClientTransport delegate, BiConsumer<Integer, Integer> onMismatch) {
      this.delegate = delegate;
      this.onMismatch = onMismatch;
    }

    @Override
    public CompletionStage<Void> connect() {
      return delegate.connect();
    }

    @Override
    public CompletionStage<Void> disconnect() {
      return delegate.disconnect();
    }

    @Override
    public boolean isConnected() {
      return delegate.isConnected();
    }

    @Override
    public CompletionStage<Void> send(ModbusTcpFrame frame) {
      unitByTransaction.put(frame.header().transactionId(), frame.header().unitId());
      return delegate.send(frame);
    }

    @Override
    public void receive(Consumer<ModbusTcpFrame> receiver) {
      delegate.receive(frame -> {
        Integer expected = unitByTransaction.remove(frame.header().transactionId());
        if (expected != null && expected != frame.header().unitId()) {
          onMismatch.accept(expected, frame.header().unitId());
          return;
        }
        receiver.accept(frame);
      });
    }
  }
}
