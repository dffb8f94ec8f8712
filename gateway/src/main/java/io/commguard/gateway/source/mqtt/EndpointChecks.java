package io.commguard.gateway.source.mqtt;

import io.commguard.gateway.validation.ProblemCollector;

/** The checks of the {@code deviceEndpoint} section. */
final class EndpointChecks {
  private EndpointChecks() {}

  static void validate(DeviceEndpointConfig e, ProblemCollector problems) {
    if (e.port() < 0 || e.port() > 65535) {
      problems.add("deviceEndpoint.port", "must be 0-65535, was " + e.port());
    }
    if (e.maxPayloadBytes() < 256 || e.maxPayloadBytes() > 16 * 1024 * 1024) {
      problems.add("deviceEndpoint.maxPayloadBytes", "must be 256 to 16777216, was " + e.maxPayloadBytes());
    }
    if (e.plaintextOffLoopback() && !e.allowPlaintext()) {
      problems.add("deviceEndpoint.tls", "devices would send passwords and alarms unencrypted to " + e.host()
          + ": give tls.certFile and tls.keyFile (and tls.caFile to require device certificates), "
          + "or set deviceEndpoint.allowPlaintext: true to accept that risk on this LAN");
    }
    if (e.tls() != null && (e.tls().certFile() == null || e.tls().keyFile() == null)) {
      problems.add("deviceEndpoint.tls", "a server needs both certFile and keyFile");
    }
    ConnectionLimitsConfig l = e.limits();
    problems.atLeast("deviceEndpoint.limits.maxConnections", l.maxConnections(), 1);
    problems.atLeast("deviceEndpoint.limits.maxConnectionsPerAddress", l.maxConnectionsPerAddress(), 1);
    if (l.maxConnectBytes() < 128 || l.maxConnectBytes() > 65536) {
      problems.add("deviceEndpoint.limits.maxConnectBytes", "must be 128 to 65536, was " + l.maxConnectBytes());
    }
    problems.atLeast("deviceEndpoint.limits.connectTimeoutSeconds", l.connectTimeoutSeconds(), 1);
    DeviceAuthConfig a = e.auth();
    problems.atLeast("deviceEndpoint.auth.verifyThreads", a.verifyThreads(), 1);
    problems.atLeast("deviceEndpoint.auth.verifyQueue", a.verifyQueue(), 1);
    problems.atLeast("deviceEndpoint.auth.freeFailuresPerAddress", a.freeFailuresPerAddress(), 0);
    problems.atLeast("deviceEndpoint.auth.freeFailuresPerDevice", a.freeFailuresPerDevice(), 0);
    problems.atLeast("deviceEndpoint.auth.maxLockoutSeconds", a.maxLockoutSeconds(), 1);
  }
}
