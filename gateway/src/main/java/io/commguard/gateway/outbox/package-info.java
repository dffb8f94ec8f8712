/**
 * The durable outbox: every alert is committed to a SQLite file (WAL, group commit) before the
 * uplink may publish it, and leaves the outbox only when acknowledged. One dedicated writer
 * thread ({@code outbox-writer}) owns the JDBC connection; every public method only enqueues work
 * for it and returns a future, so no caller (event loop, Paho thread) ever blocks on disk.
 */
package io.commguard.gateway.outbox;
