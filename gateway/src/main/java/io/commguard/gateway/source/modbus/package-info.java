/**
 * Modbus southbound source: polls gas detectors over Modbus TCP, RTU on a serial port and RTU
 * framing over TCP with the digitalpetri modbus 2.x client, and turns register values into
 * canonical events.
 *
 * <p>Threads: all scheduling, planning and decoding runs on one dedicated daemon thread
 * ({@code modbus-poller}), never on a Vert.x event loop. Requests use the library's asynchronous
 * API ({@code sendAsync}); responses hop back to the poller thread. The library does its I/O on its
 * own shared Netty event loop (TCP and RTU over TCP) or the jSerialComm listener thread (serial);
 * a serial write of a request frame (a few bytes into the kernel buffer) happens on the poller
 * thread. Nothing on the poller thread waits for a device, so one dead or slow device costs only
 * its own timeout on its own link.
 */
package io.commguard.gateway.source.modbus;
