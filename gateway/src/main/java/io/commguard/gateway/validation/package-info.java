/**
 * The validation kit every input file goes through (gateway config, device profiles, rules,
 * register maps): problems as {@code file: path: reason}, collected so the author sees all of them
 * at once. Pure code; used at boot and by the validation commands on the main thread.
 */
package io.commguard.gateway.validation;
