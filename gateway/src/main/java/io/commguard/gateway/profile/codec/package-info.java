/**
 * The {@code decode} section of MQTT device profiles and the {@link
 * io.commguard.gateway.profile.codec.ProfilePayloadDecoder} compiled from it: payload codecs (JSON, XML,
 * {@code key=value} text), path expressions, code tables, time formats and privacy handling.
 * Parsing happens once at boot (main thread); decoders are immutable and called concurrently from
 * source threads (event loops), so nothing here blocks or keeps per-message state.
 */
package io.commguard.gateway.profile.codec;
