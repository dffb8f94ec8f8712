/**
 * SQLite plumbing shared by the gateway's databases: opening a file in WAL mode after an integrity
 * check, moving an unreadable file aside with its side files, and repairing the driver's
 * transaction state after SQLite rolled back by itself. Static helpers, run on the caller's
 * (writer) thread.
 */
package io.commguard.gateway.sqlite;
