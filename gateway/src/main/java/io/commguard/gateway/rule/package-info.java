/**
 * Local filtering and the alarm lifecycle ({@link io.commguard.gateway.rule.RuleEngine}): turns
 * device events into RAISED / UPDATED / CLEARED alerts with a stable id per episode, applying
 * debounce, de-duplication, thresholds, deadbands, rate limits, maintenance windows, offline and
 * no-activity detection. Runs under the pipeline's lock on source threads and event loops, pure CPU;
 * its state changes are committed by the outbox with the alerts they explain. See docs/rules.md.
 */
package io.commguard.gateway.rule;
