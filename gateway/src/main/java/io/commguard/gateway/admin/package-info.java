/**
 * The loopback admin API: health, metrics and maintenance windows, behind a bearer token. Runs on
 * a Vert.x event loop; it never blocks (it only reads counters and queues maintenance commands).
 */
package io.commguard.gateway.admin;
