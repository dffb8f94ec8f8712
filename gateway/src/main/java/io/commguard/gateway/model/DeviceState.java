package io.commguard.gateway.model;

/** Whether a device may send: its sources accept it unless it is disabled. */
public enum DeviceState {
  /** In service. */
  ENABLED,
  /**
   * Being installed: it connects and is decoded like an enabled device, so a technician can check
   * it end to end; provisioning tools show it apart.
   */
  COMMISSIONING,
  /** Out of service: its sessions are closed, its logins refused, it is not polled. */
  DISABLED;

  /** True when the device's sources should accept it. */
  public boolean active() {
    return this != DISABLED;
  }
}
