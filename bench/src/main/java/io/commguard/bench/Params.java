package io.commguard.bench;

/**
 * Sizes of one harness run. {@link #standard()} is the published run; {@link #smoke()} is the
 * seconds-long run the test suite does so the harness never rots (no figure of it means anything).
 */
record Params(
    String name,
    int steadyDevices,
    int steadyRate,
    int steadySeconds,
    int warmupSeconds,
    int modbusLinks,
    int modbusUnitsPerLink,
    int throughputDevices,
    int throughputWindow,
    int throughputSeconds,
    int alertDevices,
    int alertSeconds,
    int drainAlerts,
    int backlogAlerts,
    int stormBacklog,
    int stormSeconds,
    int fireRate,
    int modbusOnlySeconds,
    int baselineSeconds,
    boolean nodeRed,
    int importDevices,
    int heldStreams,
    int heldStreamEventEverySeconds,
    int heldStreamsSeconds) {

  static Params standard() {
    return new Params("standard", 1000, 1000, 60, 10, 5, 200, 100, 64, 30, 200, 20, 50_000, 1_000_000, 100_000, 30, 10,
        30, 20, true, 5000, 500, 30, 60);
  }

  /** The same sizes with an import of {@code devices} in {@code steady_import}. */
  Params withImportDevices(int devices) {
    return new Params(name, steadyDevices, steadyRate, steadySeconds, warmupSeconds, modbusLinks, modbusUnitsPerLink,
        throughputDevices, throughputWindow, throughputSeconds, alertDevices, alertSeconds, drainAlerts, backlogAlerts,
        stormBacklog, stormSeconds, fireRate, modbusOnlySeconds, baselineSeconds, nodeRed, devices, heldStreams,
        heldStreamEventEverySeconds, heldStreamsSeconds);
  }

  /** The same sizes with {@code cameras} held for {@code seconds} in {@code streams_held}. */
  Params withHeldStreams(int cameras, int seconds) {
    return new Params(name, steadyDevices, steadyRate, steadySeconds, warmupSeconds, modbusLinks, modbusUnitsPerLink,
        throughputDevices, throughputWindow, throughputSeconds, alertDevices, alertSeconds, drainAlerts, backlogAlerts,
        stormBacklog, stormSeconds, fireRate, modbusOnlySeconds, baselineSeconds, nodeRed, importDevices, cameras,
        heldStreamEventEverySeconds, seconds);
  }

  static Params smoke() {
    return new Params("smoke", 20, 200, 3, 1, 1, 10, 10, 16, 2, 10, 2, 300, 2_000, 300, 2, 10, 0, 2, false, 50, 10, 2, 3);
  }
}
