/**
 * The {@code demo} command: simulated devices and an in-process city endpoint around a real
 * gateway, so a newcomer sees alerts flow with no external service. Runs on Vert.x event loops;
 * nothing here is used by the production data path.
 */
package io.commguard.gateway.demo;
