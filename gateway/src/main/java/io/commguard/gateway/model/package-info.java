/**
 * Immutable records shared by every stage of the data path (source, decode, rules, outbox, uplink).
 * No behaviour beyond validation of invariants; safe to pass between threads.
 */
package io.commguard.gateway.model;
