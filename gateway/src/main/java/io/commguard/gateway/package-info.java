/**
 * Boot: {@link io.commguard.gateway.GatewayPlan} loads and cross-checks the config and every
 * profile before anything opens a file or a port; {@link io.commguard.gateway.Gateway} then starts
 * the data path in a safe order (outbox, rules, sources, uplink) and stops it in reverse. Runs on
 * the main thread at start-up and in the shutdown hook.
 */
package io.commguard.gateway;
