/**
 * Live status of each registered device — connection (online, offline, never heard), last seen,
 * last event, last rejection, counters, peer address, firmware — and the live feed of its decoded
 * events, for the people who provision and check devices. Fed by the sources through the shared
 * {@code source.Ingest} and by the rule stage's outcome; read by the admin API. Neutral: it knows
 * no stage. The board is safe from any thread and never blocks: writes are volatile stores and
 * adders on one entry per registered device (an unknown id never creates one). What must outlive
 * a restart is saved to {@code status.db} by {@code SqliteStatusStore} on its own writer thread,
 * in batches.
 */
package io.commguard.gateway.status;
