/**
 * Gateway configuration: immutable records read from one YAML file, validated as a whole before
 * anything starts. Errors name the file, the path inside it and the reason. Loaded once on the
 * main thread at boot.
 */
package io.commguard.gateway.config;
