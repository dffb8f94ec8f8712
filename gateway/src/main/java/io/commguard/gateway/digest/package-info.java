/**
 * HTTP Digest arithmetic (RFC 7616, RFC 2069): H, KD, HA1 (also {@code -sess}), HA2 and the
 * response, for MD5 and SHA-256. Shared by the push listener, which checks devices' answers, and
 * the stream client, which answers devices' challenges; challenge parsing and nonce handling stay
 * with each of them. Pure functions with no state; cheap enough for an event loop.
 */
package io.commguard.gateway.digest;
