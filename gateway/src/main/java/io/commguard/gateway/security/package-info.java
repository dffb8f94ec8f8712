/** Credentials: salted password hashes for device authentication. Pure functions, any thread (PBKDF2 is CPU-heavy: call it off the event loop). */
package io.commguard.gateway.security;
