/**
 * Local filtering and the alarm lifecycle: turns device events into RAISED / UPDATED / CLEARED
 * alerts with a stable id per episode. Runs under the pipeline's lock, one event at a time.
 */
package io.commguard.gateway.rule;
