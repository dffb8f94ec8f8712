package io.commguard.gateway.source;

import io.commguard.gateway.config.GatewayConfig;
import io.commguard.gateway.profile.ProfileSectionParser;
import io.commguard.gateway.validation.ProblemCollector;
import java.util.List;
import java.util.Set;

/**
 * A protocol by which devices reach the gateway. Everything protocol-specific hangs off this: the
 * config sections and device keys it owns, the profile section its devices need, its checks and
 * its running {@link Source}. The core knows protocols only through the list of these in {@code
 * io.commguard.gateway.SourceTypes}.
 */
public interface SourceType {
  /**
   * Lower-case name, e.g. {@code mqtt}; a profile's {@code protocol} names it (any case, with or
   * without underscores), and devices of that profile use this source unless they carry another
   * source's device keys.
   */
  String name();

  /** Top-level config keys this source owns, e.g. {@code modbusLinks}. */
  Set<String> configKeys();

  /** Keys of a device entry that bind the device to this source, e.g. {@code modbus}. */
  Set<String> deviceKeys();

  /** The profile section a device of this source needs, e.g. {@code decode}. */
  String profileSection();

  /** Parsers of profile sections only this source reads (e.g. a register map); none by default. */
  default List<ProfileSectionParser<?>> profileParsers() {
    return List.of();
  }

  /**
   * Checks this source's config sections and the binding of each of its devices, adding problems
   * with their paths in the file; runs for the config file and for every registry change.
   */
  void validate(GatewayConfig config, List<ConfiguredDevice> devices, ProblemCollector problems);

  /**
   * True when this source's devices log in to the gateway with a password under {@code config}
   * (provisioning then generates one for each new device); false by default.
   */
  default boolean devicesLogIn(GatewayConfig config) {
    return false;
  }

  /** Starts the source with its devices; returns once it is listening or polling. */
  Source start(SourceContext context) throws Exception;
}
