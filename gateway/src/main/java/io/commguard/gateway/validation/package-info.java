/**
 * The validation kit every input file goes through (gateway config, device profiles, rules,
 * register maps): problems as {@code file: path: reason}, collected so the author sees all of them
 * at once; {@link io.commguard.gateway.validation.YamlReader} reads typed values with exact paths and
 * {@link io.commguard.gateway.validation.Names} holds the spelling rules (enum values in any case,
 * "did you mean"). Pure code; used at boot and by the validation commands on the main thread.
 */
package io.commguard.gateway.validation;
