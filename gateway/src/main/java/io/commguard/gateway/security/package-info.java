/**
 * Device credentials: salted password hashes, the login decision ({@link
 * io.commguard.gateway.security.DeviceAuthenticator}: throttles, a round-robin verification queue on
 * threads of its own) and the proofs of verified logins that make a restart cheap. Hashing is
 * CPU-heavy: it runs only on the authenticator's threads, never on an event loop.
 */
package io.commguard.gateway.security;
