package io.commguard.bench;

import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersResponse;
import com.digitalpetri.modbus.server.ModbusRequestContext;
import com.digitalpetri.modbus.server.ModbusServices;
import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import io.commguard.gateway.testsupport.FreePort;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many RS-485 style gas detectors ({@code generic-rs485-gas-0x6000}) behind Modbus TCP links, served
 * in process by the digitalpetri Modbus server (the library the gateway polls with). Each link is
 * one server on its own port answering for every unit id: status word 0x8000 (warmed up, no alarm),
 * concentration 0.5 %LEL, run status 0. Counts the requests it answered.
 */
final class ModbusFarm implements AutoCloseable {
  record Link(String id, int port) {}

  private final List<ModbusTcpServer> servers = new ArrayList<>();
  final List<Link> links = new ArrayList<>();
  final AtomicLong requests = new AtomicLong();

  static ModbusFarm start(int linkCount) throws Exception {
    ModbusFarm farm = new ModbusFarm();
    for (int i = 0; i < linkCount; i++) {
      int port = FreePort.next();
      NettyTcpServerTransport transport = NettyTcpServerTransport.create(c -> c.setBindAddress("127.0.0.1").setPort(port));
      ModbusTcpServer server = ModbusTcpServer.create(transport, farm.services());
      server.start();
      farm.servers.add(server);
      farm.links.add(new Link("link" + (i + 1), port));
    }
    return farm;
  }

  private ModbusServices services() {
    return new ModbusServices() {
      @Override
      public ReadHoldingRegistersResponse readHoldingRegisters(ModbusRequestContext context, int unitId,
          ReadHoldingRegistersRequest request) {
        requests.incrementAndGet();
        byte[] regs = new byte[request.quantity() * 2];
        for (int r = 0; r < request.quantity(); r++) {
          int address = request.address() + r;
          int value = address == 0x6000 ? 0x8000 : address == 0x6001 ? 5 : 0;
          regs[2 * r] = (byte) (value >> 8);
          regs[2 * r + 1] = (byte) value;
        }
        return new ReadHoldingRegistersResponse(regs);
      }
    };
  }

  @Override
  public void close() throws Exception {
    for (ModbusTcpServer s : servers) {
      s.stop();
    }
  }
}
