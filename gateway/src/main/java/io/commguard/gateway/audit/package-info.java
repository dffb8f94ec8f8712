/**
 * The audit log: every change made through the admin API or the CLI (who, when, what, before and
 * after), appended to a hash-chained file in the data directory and checked by {@code gateway audit
 * verify}. Blocking file I/O: call it from a worker, never from an event loop.
 */
package io.commguard.gateway.audit;
