/**
 * Modbus register maps: the {@code modbus} section of a device profile (points, poll groups,
 * status-word conditions), its parser, the decoder of raw registers and the read planner. Pure
 * code with no I/O and no threads of its own; immutable values, safe to share between the poller
 * thread and the profile loader.
 */
package io.commguard.gateway.source.modbus.map;
