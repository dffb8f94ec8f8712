/**
 * Personal data at the edge: the per-gateway hash key, the keyed hash that replaces subject
 * identifiers (card numbers, employee numbers, plates), the list of field names that count as
 * personal data (English and Chinese), and the scrubber every free-text string passes through
 * before it can leave the box or reach a log ({@link
 * io.commguard.gateway.privacy.PersonalDataScrubber#scrubText}). The key is loaded once at boot
 * (main thread); hashing and scrubbing are thread-safe and used by decoders and loggers on any
 * thread.
 */
package io.commguard.gateway.privacy;
