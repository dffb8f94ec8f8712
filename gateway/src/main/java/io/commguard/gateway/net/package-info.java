/**
 * Socket plumbing shared by every MQTT link the gateway opens (uplink, site-broker source, the
 * reference receiver): TLS contexts from PEM files and sockets with Nagle's algorithm off. Pure
 * factories with no threads; called at connect time on the caller's thread (never an event loop:
 * reading PEM files is file I/O).
 */
package io.commguard.gateway.net;
