/**
 * The loopback admin API: liveness and readiness probes (no token), and health details, metrics
 * and maintenance windows behind a bearer token. Runs on a Vert.x event loop; it never blocks (it
 * reads counters, queues maintenance commands, and waits for readiness checks and scrapes
 * asynchronously).
 */
package io.commguard.gateway.admin;
