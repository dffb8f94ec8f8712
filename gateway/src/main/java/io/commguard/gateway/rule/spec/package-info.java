/**
 * The {@code rules} schema shared by profiles (defaults per device model) and the gateway config
 * (site and device overrides, watched households): immutable records, their layering, and the
 * parsers that validate them with exact paths. Used at boot on the main thread; the parsed values
 * are read-only afterwards.
 */
package io.commguard.gateway.rule.spec;
