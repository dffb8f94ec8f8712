package io.commguard.gateway.model;

/**
 * Where an event stands in its condition's life, as the device tells it: a condition that starts
 * (or is re-posted while it lasts), one that stops, or a one-off pulse with no stop.
 */
public enum Phase {
  ACTIVE,
  INACTIVE,
  PULSE
}
