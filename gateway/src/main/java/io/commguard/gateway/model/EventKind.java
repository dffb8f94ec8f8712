package io.commguard.gateway.model;

/** What sort of thing a device reported. */
public enum EventKind {
  /** A safety condition: gas, fire, intrusion, forced door... */
  ALARM,
  /** A periodic reading such as a gas concentration. */
  TELEMETRY,
  /** A device condition: fault, warm-up, offline, battery. */
  STATUS,
  /** A person passing (or failing to pass) an access point. */
  ACCESS
}
