/**
 * Counters every stage increments (received, rejected by reason, dropped, delivered). Lock-free,
 * safe from any thread.
 */
package io.commguard.gateway.metrics;
