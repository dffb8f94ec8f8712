/**
 * The evidence store: pictures devices send with their events, kept on this box only, in a bounded
 * folder of the data dir, and referenced from alerts instead of travelling upstream. Sources hand
 * pictures to it and wait for the reference; every file operation runs on the store's own thread,
 * never on an event loop.
 */
package io.commguard.gateway.evidence;
