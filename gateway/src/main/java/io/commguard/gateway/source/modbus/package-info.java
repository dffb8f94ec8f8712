/**
 * Modbus southbound source: polls gas detectors over Modbus TCP, RTU on a serial port and RTU
 * framing over TCP with the digitalpetri modbus 2.x client, and turns register values into
 * canonical events.
 *
 * <p>Threads: all scheduling, planning and decoding runs on one dedicated daemon thread
 * ({@code modbus-poller}), never on a Vert.x event loop. Requests use the library's asynchronous
 * API ({@code sendAsync}); responses hop back to the poller thread. The library does its Netty I/O
 * (TCP, RTU over TCP) on its own shared event loop, so those calls return at once. Serial ports are
 * opened and written synchronously by jSerialComm, so each RTU link makes its calls on its own
 * thread ({@code modbus-serial-<link>}); a write stuck on a lost line is abandoned and the port
 * reopened. Nothing on the poller thread waits for a device, so one dead or slow device costs only
 * its own timeout on its own link.
 */
package io.commguard.gateway.source.modbus;
