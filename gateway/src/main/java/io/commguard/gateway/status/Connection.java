package io.commguard.gateway.status;

/** Whether a device is reaching the gateway. */
public enum Connection {
  /** An open session, or heard within its silence limit. */
  ONLINE,
  /** Heard before, but its session closed, its source lost it, or it has been silent too long. */
  OFFLINE,
  /** Never heard, not even before a restart (or not since it was added). */
  NEVER;

  /** The lower-case word the admin API and the CLI use. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
