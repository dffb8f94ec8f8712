package io.commguard.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.commguard.gateway.security.HmacKey;
import io.commguard.gateway.security.PasswordHash;
import io.commguard.gateway.validation.InvalidInputException;
import io.commguard.gateway.validation.Problem;
import io.commguard.gateway.validation.ProblemCollector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the gateway YAML config and validates it as a whole. Every problem found is reported with
 * the file, the path inside it (e.g. {@code devices[1].passwordHash}) and the reason; unknown keys
 * are rejected rather than ignored, so a typo never silently falls back to a default.
 */
public final class ConfigLoader {
  /** What a device id may be: also its MQTT username and a label in metrics. */
  public static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /**
   * Marks a value the operator still has to fill in, as in deploy/gateway.example.yaml. Only a
   * password hash that is not well formed is checked for it, so it changes the message, never what
   * is accepted.
   */
  static final String PLACEHOLDER_MARK = "REPLACE";

  private ConfigLoader() {}

  /** Reads and checks the core of the file (not the sources' sections: see {@code GatewayPlan}). */
  public static GatewayConfig load(Path file) {
    GatewayConfig config = read(file);
    ProblemCollector problems = new ProblemCollector(file.toString());
    validate(config, problems);
    problems.throwIfAny();
    return config;
  }

  /** Reads the file without checking more than its syntax and types, for a check that reports everything at once. */
  public static GatewayConfig read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new InvalidInputException(List.of(new Problem(file.toString(), "", "cannot read: " + e.getMessage())));
    }
  }

  public static GatewayConfig parse(InputStream in, String fileName) throws IOException {
    GatewayConfig config = read(in, fileName);
    ProblemCollector problems = new ProblemCollector(fileName);
    validate(config, problems);
    problems.throwIfAny();
    return config;
  }

  private static GatewayConfig read(InputStream in, String fileName) throws IOException {
    GatewayConfig config;
    try {
      config = ConfigSections.YAML.readValue(in, GatewayConfig.class);
    } catch (JsonMappingException e) {
      throw new InvalidInputException(List.of(new Problem(fileName, ConfigSections.pathOf(e), ConfigSections.reasonOf(e))));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(List.of(new Problem(fileName, "", "not valid YAML" + ConfigSections.at(e.getLocation()) + ": " + e.getOriginalMessage())));
    }
    if (config == null) {
      throw new InvalidInputException(List.of(new Problem(fileName, "", "file is empty")));
    }
    return config;
  }

  /** The core's checks: ids, the uplink, the outbox, the admin API, the evidence store, every device's common keys. */
  public static void validate(GatewayConfig c, ProblemCollector problems) {
    if (c.gatewayId() == null || !DEVICE_ID.matcher(c.gatewayId()).matches()) {
      problems.add("gatewayId", "required: 1-64 letters, digits, '.', '_' or '-'");
    }
    validateDevices(c, problems);
    if (c.uplink() == null) {
      problems.add("uplink", "required: the city platform broker alerts are sent to");
    } else {
      validateUplink(c.uplink(), problems);
    }
    OutboxConfig o = c.outbox();
    positive(o.groupCommitMaxWaitMs(), "outbox.groupCommitMaxWaitMs", problems, 0);
    positive(o.groupCommitMaxRows(), "outbox.groupCommitMaxRows", problems, 1);
    positive(o.queueCapacity(), "outbox.queueCapacity", problems, 1);
    positive(o.maxBytes() > Integer.MAX_VALUE ? Integer.MAX_VALUE : o.maxBytes().intValue(), "outbox.maxBytes", problems, 4096);
    positive(o.maxAgeHours(), "outbox.maxAgeHours", problems, 1);
    positive(o.historyDays(), "outbox.historyDays", problems, 0);
    positive(o.summaryIntervalMs(), "outbox.summaryIntervalMs", problems, 0);
    int maxHours = c.admin().maxMaintenanceHours();
    if (maxHours < 1 || maxHours > AdminConfig.MAX_MAINTENANCE_HOURS_LIMIT) {
      problems.add("admin.maxMaintenanceHours",
          "must be 1 to " + AdminConfig.MAX_MAINTENANCE_HOURS_LIMIT + " (hours), was " + maxHours);
    }
    validateAdmin(c.admin(), problems);
    validateEvidence(c.evidence(), problems);
  }

  private static void validateAdmin(AdminConfig a, ProblemCollector problems) {
    positive(a.sessionIdleMinutes(), "admin.sessionIdleMinutes", problems, 1);
    positive(a.sessionMaxHours(), "admin.sessionMaxHours", problems, 1);
    if (a.sessionIdleMinutes() > a.sessionMaxHours() * 60) {
      problems.add("admin.sessionIdleMinutes", "must not exceed admin.sessionMaxHours (" + a.sessionMaxHours()
          + " h = " + a.sessionMaxHours() * 60 + " min), was " + a.sessionIdleMinutes());
    }
    AdminTlsConfig tls = a.tls();
    if ((tls.certFile() == null) != (tls.keyFile() == null)) {
      problems.add("admin.tls", "give both certFile and keyFile, or neither (a self-signed certificate is then made "
          + "at first start)");
    }
    if (Boolean.FALSE.equals(tls.enabled()) && !a.loopback()) {
      problems.add("admin.tls.enabled", "false is allowed only on a loopback host; admin.host " + a.host()
          + " is reachable from the network, where the API answers HTTPS only");
    }
    if (Boolean.FALSE.equals(tls.enabled()) && tls.certFile() != null) {
      problems.add("admin.tls.enabled", "is false but admin.tls.certFile is set; remove one of them");
    }
  }

  private static void validateEvidence(EvidenceConfig e, ProblemCollector problems) {
    if (e.maxBytes() < 1L << 20) {
      problems.add("evidence.maxBytes", "must be at least 1048576 (1 MiB), was " + e.maxBytes());
    }
    if (e.maxPictureBytes() < 1024 || e.maxPictureBytes() > e.maxBytes()) {
      problems.add("evidence.maxPictureBytes", "must be 1024 to evidence.maxBytes (" + e.maxBytes() + "), was "
          + e.maxPictureBytes());
    }
    positive(e.retentionDays(), "evidence.retentionDays", problems, 1);
  }

  private static void validateDevices(GatewayConfig c, ProblemCollector problems) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < c.devices().size(); i++) {
      DeviceConfig d = c.devices().get(i);
      String at = "devices[" + i + "]";
      if (d == null) {
        problems.add(at, "empty entry");
        continue;
      }
      if (d.id() == null || !DEVICE_ID.matcher(d.id()).matches()) {
        problems.add(at + ".id", "required: 1-64 letters, digits, '.', '_' or '-'");
      } else if (!seen.add(d.id())) {
        problems.add(at + ".id", "duplicate device id '" + d.id() + "'");
      }
      if (d.profile() == null || d.profile().isBlank()) {
        problems.add(at + ".profile", "required: the id of a device profile");
      }
      if (d.passwordHash() != null && !PasswordHash.isWellFormed(d.passwordHash())) {
        problems.add(at + ".passwordHash", d.passwordHash().contains(PLACEHOLDER_MARK)
            ? "placeholder: replace with the output of `gateway hash-password`"
            : "not a hash made by 'gateway hash-password' (plaintext passwords are not accepted)");
      }
    }
  }

  private static void validateUplink(UplinkConfig u, ProblemCollector problems) {
    if (u.brokerUrl() == null || !(u.brokerUrl().startsWith("tcp://") || u.brokerUrl().startsWith("ssl://"))) {
      problems.add("uplink.brokerUrl", "required: tcp://host:port or ssl://host:port");
    }
    positive(u.batchMaxAlerts(), "uplink.batchMaxAlerts", problems, 1);
    positive(u.batchMaxDelayMs(), "uplink.batchMaxDelayMs", problems, 0);
    positive(u.ackTimeoutMs(), "uplink.ackTimeoutMs", problems, 100);
    u.ackTimeoutMsByLevel().forEach((level, ms) -> {
      if (level < 1 || level > 4) {
        problems.add("uplink.ackTimeoutMsByLevel." + level, "a level is 1 (most severe) to 4");
      } else {
        positive(ms, "uplink.ackTimeoutMsByLevel." + level, problems, 100);
      }
    });
    positive(u.inFlightBatches(), "uplink.inFlightBatches", problems, 1);
    if (u.statusIntervalMs() != 0 && u.statusIntervalMs() < UplinkConfig.MIN_STATUS_INTERVAL_MS) {
      problems.add("uplink.statusIntervalMs", "must be 0 (no heartbeat) or at least " + UplinkConfig.MIN_STATUS_INTERVAL_MS
          + " (ms), was " + u.statusIntervalMs());
    }
    if (u.hmacKeyFile() != null) {
      checkHmacKeyFile(Path.of(u.hmacKeyFile()), problems);
    }
  }

  /** What {@code run} would refuse; the owner and mode are checked at start, as the gateway's user. */
  private static void checkHmacKeyFile(Path file, ProblemCollector problems) {
    if (!Files.isRegularFile(file)) {
      problems.add("uplink.hmacKeyFile", "no such file: " + file + " (make one with: head -c 32 /dev/urandom > " + file
          + "; chmod 600 " + file + ")");
      return;
    }
    try {
      long size = Files.size(file);
      if (size < HmacKey.MIN_BYTES || size > HmacKey.MAX_BYTES) {
        problems.add("uplink.hmacKeyFile", file + " has " + size + " bytes, expected " + HmacKey.MIN_BYTES + " to "
            + HmacKey.MAX_BYTES + " raw bytes (not hex text)");
      } else if (!Files.isReadable(file)) {
        problems.add("uplink.hmacKeyFile", "cannot read " + file);
      }
    } catch (IOException e) {
      problems.add("uplink.hmacKeyFile", "cannot read " + file + ": " + e.getMessage());
    }
  }

  private static void positive(int value, String path, ProblemCollector problems, int min) {
    if (value < min) {
      problems.add(path, "must be at least " + min + ", was " + value);
    }
  }
}
