package io.commguard.gateway;

import io.commguard.gateway.profile.ProfileSectionParser;
import io.commguard.gateway.profile.codec.DecodeSectionParser;
import io.commguard.gateway.rule.spec.RulesSectionParser;
import io.commguard.gateway.source.modbus.map.ModbusProfileParser;
import java.util.List;

/**
 * The registry of profile section parsers the gateway runs with: one line per section key.
 * A new protocol or feature that adds a top-level profile key registers its parser here.
 */
public final class ProfileSections {
  private ProfileSections() {}

  /** Fresh parsers for every known section ({@code decode}, ...). */
  public static List<ProfileSectionParser<?>> all() {
    return List.of(
        new DecodeSectionParser(),
        new ModbusProfileParser(),
        new RulesSectionParser());
  }
}
