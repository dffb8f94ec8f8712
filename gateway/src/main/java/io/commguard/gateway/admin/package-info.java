/**
 * The admin web server (a Vert.x Router): liveness and readiness probes (no credentials), and every
 * area of the API ({@link io.commguard.gateway.admin.ApiRoutes}) behind {@link io.commguard.gateway.admin.Access}, which checks
 * the caller and its {@link io.commguard.gateway.admin.Role}. Runs on a Vert.x event loop; it never blocks (it
 * reads counters, queues maintenance commands, and waits for readiness checks and scrapes
 * asynchronously).
 */
package io.commguard.gateway.admin;
