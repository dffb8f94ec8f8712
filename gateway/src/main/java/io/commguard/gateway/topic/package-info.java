/**
 * MQTT topic filters and site-broker topic templates, shared by config validation and the MQTT
 * sources. Immutable and allocation-free on the match path; safe from any thread.
 */
package io.commguard.gateway.topic;
