package io.commguard.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The gateway YAML for a benchmark run: the embedded device endpoint, the MQTT devices of the
 * fleet, the Modbus devices of the simulator links, the uplink to the city broker.
 *
 * <p>All simulated devices share one password; its hash uses 10,000 PBKDF2 iterations, the lowest
 * the gateway accepts (the default is 60,000), so that connecting 1,000 devices does not turn the
 * run into a password-hashing benchmark. The hash is checked once per device at connect.
 */
final class GatewayConfigWriter {
  static final String PASSWORD = "bench-device-secret";
  static final String GATEWAY_ID = "bench-gw";
  /**
   * A device whose alarms are below level 1 exists to load the alert path at the box's capacity
   * (the storm); the per-device rate limit (5 alerts/s by default, never applied to level 1) would
   * otherwise absorb its alarms at the device.
   */
  private static final String UNLIMITED_ALERT_RATE = ", rules: {rateLimit: {eventsPerSecond: 100000, burst: 100000}}";

  private GatewayConfigWriter() {}

  /** Extra keys for the {@code uplink} object (e.g. {@code batchMaxDelayMs: 5}); empty: the gateway's defaults. */
  static String uplinkExtra = "";

  static String yaml(String dataDir, String profilesDir, int endpointPort, int cityPort,
      List<SimDevice> mqttDevices, List<ModbusFarm.Link> modbusLinks, int unitsPerLink) {
    return yaml(dataDir, profilesDir, endpointPort, cityPort, mqttDevices, modbusLinks, unitsPerLink, 0, null);
  }

  /** As above, with the admin API on loopback {@code adminPort} (plain HTTP) and its token in {@code tokenFile}. */
  static String yaml(String dataDir, String profilesDir, int endpointPort, int cityPort,
      List<SimDevice> mqttDevices, List<ModbusFarm.Link> modbusLinks, int unitsPerLink, int adminPort, String tokenFile) {
    StringBuilder y = new StringBuilder()
        .append("gatewayId: ").append(GATEWAY_ID).append('\n')
        .append("dataDir: '").append(dataDir).append("'\n")
        .append("profilesDir: '").append(profilesDir).append("'\n")
        // every simulated device connects from loopback: lift the per-address cap meant for a LAN
        .append("deviceEndpoint: {enabled: true, host: 127.0.0.1, port: ").append(endpointPort)
        .append(", limits: {maxConnectionsPerAddress: 5000}}\n")
        .append("uplink: {brokerUrl: 'tcp://127.0.0.1:").append(cityPort).append("', ackMode: platform")
        .append(uplinkExtra.isBlank() ? "" : ", " + uplinkExtra).append("}\n");
    if (adminPort > 0) {
      y.append("admin: {enabled: true, host: 127.0.0.1, port: ").append(adminPort).append(", tokenFile: '")
          .append(tokenFile).append("'}\n");
    }
    if (!modbusLinks.isEmpty()) {
      y.append("modbusLinks:\n");
      for (ModbusFarm.Link l : modbusLinks) {
        y.append("  - {id: ").append(l.id()).append(", transport: TCP, host: 127.0.0.1, port: ").append(l.port())
            .append(", maxConcurrentRequests: 4}\n");
      }
    }
    y.append("devices:\n");
    String hash = hash(PASSWORD);
    int i = 0;
    for (SimDevice d : mqttDevices) {
      y.append("  - {id: ").append(d.id).append(", profile: ").append(d.kind.profile)
          .append(", passwordHash: '").append(hash).append("', site: {communityCode: '310115001', building: '")
          .append(1 + i / 100).append("', unit: '1', floor: '").append(1 + i % 30).append("'}")
          .append(d.raisesLevelOne() ? "" : UNLIMITED_ALERT_RATE).append("}\n");
      i++;
    }
    for (ModbusFarm.Link l : modbusLinks) {
      for (int u = 1; u <= unitsPerLink; u++) {
        y.append("  - {id: ").append(l.id()).append("-u").append(u)
            .append(", profile: generic-rs485-gas-0x6000, modbus: {link: ").append(l.id())
            .append(", unitId: ").append(u).append("}}\n");
      }
    }
    return y.toString();
  }

  /** The gateway's PBKDF2 hash format ({@code PasswordHash}) at its minimum accepted cost. */
  static String hash(String password) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    try {
      byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 10_000, 256)).getEncoded();
      Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
      return "pbkdf2-sha256$10000$" + b64.encodeToString(salt) + '$' + b64.encodeToString(derived);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh admin token (32 URL-safe characters) for a run's admin API. */
  static String randomToken() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
