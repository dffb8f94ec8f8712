package io.commguard.gateway.source.mqtt;

import io.commguard.gateway.security.DeviceAuthenticator;

/**
 * How device logins are verified and throttled (see docs/security.md).
 *
 * @param verifyThreads threads of the pool that runs slow password checks (PBKDF2); never the
 *     event loop, the rule tick or an alarm path
 * @param verifyQueue checks that may wait for a thread, served round-robin across source
 *     addresses; a login beyond it is refused at once ("server busy")
 * @param freeFailuresPerAddress failed logins from one address before backoff starts
 * @param freeFailuresPerDevice failed logins for one username before backoff starts
 * @param maxLockoutSeconds the longest backoff; it starts at one second and doubles per failure
 * @param rememberLogins keep proof of each verified login in the data dir so that devices are
 *     accepted without a slow check after a restart
 */
public record DeviceAuthConfig(Integer verifyThreads, Integer verifyQueue,
    Integer freeFailuresPerAddress, Integer freeFailuresPerDevice, Integer maxLockoutSeconds, Boolean rememberLogins) {
  public DeviceAuthConfig {
    verifyThreads = verifyThreads == null ? 1 : verifyThreads;
    verifyQueue = verifyQueue == null ? 1024 : verifyQueue;
    freeFailuresPerAddress = freeFailuresPerAddress == null ? 5 : freeFailuresPerAddress;
    freeFailuresPerDevice = freeFailuresPerDevice == null ? 20 : freeFailuresPerDevice;
    maxLockoutSeconds = maxLockoutSeconds == null ? 300 : maxLockoutSeconds;
    rememberLogins = rememberLogins == null || rememberLogins;
  }

  public DeviceAuthenticator.Policy policy() {
    return new DeviceAuthenticator.Policy(verifyThreads, verifyQueue, freeFailuresPerAddress, freeFailuresPerDevice,
        maxLockoutSeconds);
  }
}
