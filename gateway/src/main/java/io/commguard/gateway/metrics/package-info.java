/**
 * Counters every stage increments (received, rejected by reason, dropped, delivered), rate-limited
 * logging, and {@link io.commguard.gateway.metrics.Untrusted}, through which peer text reaches either.
 * Lock-free, safe from any thread; every map keyed by peer input is capped.
 */
package io.commguard.gateway.metrics;
