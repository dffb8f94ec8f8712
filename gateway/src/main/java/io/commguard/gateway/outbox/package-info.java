/**
 * The durable outbox: every rule decision (its alerts, the rule state explaining them, the receipt
 * of the publish that caused it) is committed to one SQLite file in one transaction (WAL, group
 * commit) before any northbound may publish its alerts. Each northbound reads and acknowledges
 * through its own {@link io.commguard.gateway.outbox.OutboxCursor} (from {@link
 * io.commguard.gateway.outbox.Outbox}); an alert leaves the outbox when every northbound has it
 * delivered. {@link io.commguard.gateway.outbox.SqliteOutbox} holds the writer and group commit;
 * the other classes each hold one concern of it (file and counts, rows, the northbounds' queues,
 * eviction, storage full, housekeeping, rule-state tables). One dedicated writer thread ({@code
 * outbox-writer}) owns the writing JDBC connection, and one reader thread ({@code outbox-reader})
 * a read-only one for the northbounds' fetches, so that a fetch never waits behind a commit; every
 * public method only enqueues work for them and returns a future, so no caller (event loop,
 * delivery thread) ever blocks on disk.
 */
package io.commguard.gateway.outbox;
