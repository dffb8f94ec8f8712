/**
 * The durable outbox: every rule decision (its alerts, the rule state explaining them, the receipt
 * of the publish that caused it) is committed to one SQLite file in one transaction (WAL, group
 * commit) before the uplink may publish its alerts, which leave the outbox only when acknowledged.
 * The uplink sees it through {@link io.commguard.gateway.outbox.Outbox}. One dedicated writer
 * thread ({@code outbox-writer}) owns the JDBC connection; every public method only enqueues work
 * for it and returns a future, so no caller (event loop, Paho thread) ever blocks on disk.
 */
package io.commguard.gateway.outbox;
