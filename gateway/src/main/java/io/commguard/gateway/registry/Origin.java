package io.commguard.gateway.registry;

/** Who declared a device, which decides who may change it. */
public enum Origin {
  /** The config file's {@code devices:} list: re-imported at every start and reload. */
  CONFIG,
  /** Added at run time (admin API, provisioning tools); kept across restarts and reloads. */
  RUNTIME
}
