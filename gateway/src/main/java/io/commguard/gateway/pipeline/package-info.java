/**
 * The spine of the data path: sources hand decoded {@link io.commguard.gateway.model.DeviceEvent}s
 * to an {@link io.commguard.gateway.pipeline.EventSink}; the pipeline runs the rules and appends the
 * resulting alerts to the outbox. Called from source event loops and poller threads; rule
 * evaluation is serialised inside the pipeline.
 */
package io.commguard.gateway.pipeline;
