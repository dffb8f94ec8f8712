/**
 * The alert contract's wire form in one place: {@link io.commguard.gateway.wire.AlertEncoder}
 * turns alert drafts into protobuf {@code Alert}s (the outbox stores them) and stored alerts into
 * {@code AlertBatch}es (the uplink sends them). Pure functions, no threads.
 */
package io.commguard.gateway.wire;
