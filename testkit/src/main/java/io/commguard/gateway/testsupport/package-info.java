/**
 * The test kit: real peers a test or the benchmark harness starts on free loopback ports and stops
 * again — Mosquitto, the packaged gateway as a child process, pymodbus, socat pty pairs, a TLS
 * broker, a black-hole proxy, a small tmpfs — plus readers for what they leave behind (Prometheus
 * text, {@code /proc}, the docs' shell recipes). Used by the gateway's tests (test scope) and by
 * bench/; it imports no gateway class, so the gateway can depend on it. Waits poll with Awaitility;
 * each peer's output goes to a log file next to its config.
 */
package io.commguard.gateway.testsupport;
