/**
 * Personal data at the edge: the per-gateway hash key, the keyed hash that replaces subject
 * identifiers (card numbers, employee numbers, plates), and the list of field names that count as
 * personal data. The key is loaded once at boot (main thread); hashing is thread-safe and used by
 * decoders on any thread.
 */
package io.commguard.gateway.privacy;
