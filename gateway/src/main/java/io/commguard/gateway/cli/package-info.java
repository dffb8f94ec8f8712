/** The {@code gateway} command line (picocli): run, demo, config and profile validation, password hashing, the city receiver. Main thread only. */
package io.commguard.gateway.cli;
