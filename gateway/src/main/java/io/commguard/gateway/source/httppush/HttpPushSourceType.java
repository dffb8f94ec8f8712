package io.commguard.gateway.source.httppush;

import com.fasterxml.jackson.databind.JsonNode;
import io.commguard.gateway.config.ConfigSections;
import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.profile.codec.DecodeSection;
import io.commguard.gateway.security.DigestHash;
import io.commguard.gateway.source.ConfiguredDevice;
import io.commguard.gateway.source.Source;
import io.commguard.gateway.source.SourceContext;
import io.commguard.gateway.source.SourceType;
import io.commguard.gateway.source.httppush.PushBinding.Auth;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Cameras and access controllers that push their events over HTTP(S) to the gateway. */
public final class HttpPushSourceType implements SourceType {
  static final String SECTION = "httpPush";
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:]{2,39}");
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]{0,255}");

  @Override
  public String name() {
    return "httppush";
  }

  @Override
  public Set<String> configKeys() {
    return Set.of(SECTION);
  }

  @Override
  public Set<String> deviceKeys() {
    return Set.of(PushDevices.KEY);
  }

  @Override
  public String profileSection() {
    return DecodeSection.KEY;
  }

  /** The {@code httpPush} section, or the disabled default; null when it has a problem. */
  static HttpPushConfig listener(GatewayConfig config, ProblemCollector problems) {
    JsonNode node = config.section(SECTION);
    return node == null ? HttpPushConfig.DISABLED : ConfigSections.read(node, HttpPushConfig.class, SECTION, problems);
  }

  @Override
  public void validate(GatewayConfig config, List<ConfiguredDevice> devices, ProblemCollector problems) {
    HttpPushConfig listener = listener(config, problems);
    if (listener != null) {
      validateListener(listener, problems);
    }
    Map<String, String> paths = new HashMap<>();
    Map<String, String> addresses = new HashMap<>();
    for (ConfiguredDevice d : devices) {
      String at = d.path() + "." + PushDevices.KEY;
      JsonNode node = d.config().binding(PushDevices.KEY);
      PushBinding b = node == null ? null : ConfigSections.read(node, PushBinding.class, at, problems);
      if (node == null || b == null) {
        if (node == null) {
          problems.add(at, "required: how the device is recognised, {address: <its IP>} and/or {path: /push/"
              + d.config().id() + "}");
        }
        continue;
      }
      if (listener != null && !listener.enabled()) {
        problems.add(at, "the push listener is off: set httpPush.enabled: true (and its host and port)");
      }
      validateBinding(d, at, b, problems);
      if (b.path() != null && paths.putIfAbsent(b.path(), d.config().id()) != null) {
        problems.add(at + ".path", "path " + b.path() + " is already device " + paths.get(b.path()) + "'s");
      }
      if (b.path() == null && b.address() != null && addresses.putIfAbsent(b.address(), d.config().id()) != null) {
        problems.add(at + ".address", "address " + b.address() + " alone already identifies device "
            + addresses.get(b.address()) + ": give each device behind one address its own path");
      }
    }
  }

  private static void validateBinding(ConfiguredDevice d, String at, PushBinding b, ProblemCollector problems) {
    if (b.address() == null && b.path() == null) {
      problems.add(at, "give the address the device pushes from, the path it pushes to, or both");
    }
    if (b.address() != null && !IP_LITERAL.matcher(b.address()).matches()) {
      problems.add(at + ".address", "must be an IP address (no host names: they would need a lookup per request), was "
          + b.address());
    }
    if (b.path() != null && !PATH.matcher(b.path()).matches()) {
      problems.add(at + ".path", "must start with / and hold only letters, digits and . _ ~ / - (at most 256), was "
          + b.path());
    }
    if (b.auth() == Auth.BASIC && d.config().passwordHash() == null) {
      problems.add(at + ".auth", "basic checks the device's passwordHash: give it (gateway hash-password)");
    }
    if (b.auth() == Auth.DIGEST && !DigestHash.isWellFormed(b.digestHash())) {
      problems.add(at + ".digestHash", "digest needs the output of 'gateway hash-password --digest " + d.config().id()
          + "' (md5:<hex> or sha256:<hex>)");
    }
    if (b.auth() != Auth.DIGEST && b.digestHash() != null) {
      problems.add(at + ".digestHash", "only read with auth: digest");
    }
  }

  private static void validateListener(HttpPushConfig c, ProblemCollector problems) {
    if (c.port() < 0 || c.port() > 65535) {
      problems.add(SECTION + ".port", "must be 0-65535, was " + c.port());
    }
    if (c.maxBodyBytes() < 1024 || c.maxBodyBytes() > 64 * 1024 * 1024) {
      problems.add(SECTION + ".maxBodyBytes", "must be 1024 to 67108864, was " + c.maxBodyBytes());
    }
    if (c.plaintextOffLoopback() && !c.allowPlaintext()) {
      problems.add(SECTION + ".tls", "devices would push credentials and alarms unencrypted to " + c.host()
          + ": give tls.certFile and tls.keyFile, or set httpPush.allowPlaintext: true to accept that risk on this LAN "
          + "(many cameras push only plain HTTP)");
    }
    if (c.tls() != null && (c.tls().certFile() == null || c.tls().keyFile() == null)) {
      problems.add(SECTION + ".tls", "a server needs both certFile and keyFile");
    }
    problems.atLeast(SECTION + ".maxConnections", c.maxConnections(), 1);
    problems.atLeast(SECTION + ".maxRequests", c.maxRequests(), 1);
    problems.atLeast(SECTION + ".maxRequestsPerDevice", c.maxRequestsPerDevice(), 1);
    problems.atLeast(SECTION + ".requestTimeoutSeconds", c.requestTimeoutSeconds(), 1);
    if (c.realm().isBlank() || c.realm().contains("\"")) {
      problems.add(SECTION + ".realm", "must be non-empty text without quotes");
    }
  }

  @Override
  public Source start(SourceContext context) throws Exception {
    HttpPushConfig config = listener(context.config(), new ProblemCollector("config"));
    return PushSource.start(context, config);
  }
}
