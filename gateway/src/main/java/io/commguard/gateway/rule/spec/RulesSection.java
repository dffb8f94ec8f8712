package io.commguard.gateway.rule.spec;

import io.commguard.gateway.model.CanonicalType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code rules} section, as written in a profile (defaults for a device model), in a site
 * override or in a device's config. Every field may be null, meaning "inherit"; layers are combined
 * with {@link #overriddenBy}. See docs/rules.md for every key.
 *
 * @param zone the gas confirmation zone of a device (meaningful in device and site overrides)
 */
public record RulesSection(
    List<AlarmSpec> alarms,
    List<ThresholdSpec> thresholds,
    List<DeadbandSpec> deadbands,
    RateLimitSpec rateLimit,
    OfflineSpec offline,
    AccessSpec access,
    ConfirmationSpec confirmation,
    String zone) {

  public static final RulesSection EMPTY = new RulesSection(null, null, null, null, null, null, null, null);

  /** Built-in defaults, the bottom layer under every profile. */
  public static final RulesSection BUILT_IN = new RulesSection(
      List.of(new AlarmSpec(null, 1, Duration.ZERO, 1, Duration.ZERO, AlarmSpec.ClearOn.STOP_EVENT,
          Duration.ofSeconds(60), Duration.ofSeconds(30))),
      List.of(),
      List.of(new DeadbandSpec(DeadbandSpec.ANY_MEASUREMENT, 0.0, 5.0, Duration.ofMinutes(15))),
      new RateLimitSpec(5.0, 20, Duration.ofSeconds(60)),
      new OfflineSpec(null, 3),
      new AccessSpec(AccessSpec.Forward.SUMMARY, Duration.ofMinutes(15)),
      new ConfirmationSpec(ConfirmationSpec.Mode.OFF, Duration.ofSeconds(60), 2),
      null);

  public RulesSection {
    alarms = alarms == null ? null : List.copyOf(alarms);
    thresholds = thresholds == null ? null : List.copyOf(thresholds);
    deadbands = deadbands == null ? null : List.copyOf(deadbands);
  }

  /**
   * This layer with {@code over} on top: alarm and deadband entries merge field by field per type
   * or measurement; a threshold entry replaces the one for the same measurement; objects merge field
   * by field; {@code zone} is replaced.
   */
  public RulesSection overriddenBy(RulesSection over) {
    if (over == null) {
      return this;
    }
    return new RulesSection(
        Merge.byKey(alarms, over.alarms, a -> Objects.toString(a.type()), AlarmSpec::overriddenBy),
        Merge.byKey(thresholds, over.thresholds, ThresholdSpec::measurement, (a, b) -> b),
        Merge.byKey(deadbands, over.deadbands, DeadbandSpec::measurement, DeadbandSpec::overriddenBy),
        Merge.layer(rateLimit, over.rateLimit, RateLimitSpec::overriddenBy),
        Merge.layer(offline, over.offline, OfflineSpec::overriddenBy),
        Merge.layer(access, over.access, AccessSpec::overriddenBy),
        Merge.layer(confirmation, over.confirmation, ConfirmationSpec::overriddenBy),
        Merge.pick(over.zone, zone));
  }

  /** The alarm settings for {@code type}: the {@code ANY} entry with the type's own entry on top. */
  public AlarmSpec alarmFor(CanonicalType type) {
    AlarmSpec any = null;
    AlarmSpec own = null;
    for (AlarmSpec a : alarms == null ? List.<AlarmSpec>of() : alarms) {
      if (a.type() == null) {
        any = a;
      } else if (a.type() == type) {
        own = a;
      }
    }
    AlarmSpec base = any == null ? BUILT_IN.alarms.get(0) : any;
    return own == null ? base : base.overriddenBy(own);
  }

  /** The deadband for {@code measurement}: its own entry over the {@code *} entry. */
  public DeadbandSpec deadbandFor(String measurement) {
    DeadbandSpec any = null;
    DeadbandSpec own = null;
    for (DeadbandSpec d : deadbands == null ? List.<DeadbandSpec>of() : deadbands) {
      if (d.measurement().equals(DeadbandSpec.ANY_MEASUREMENT)) {
        any = d;
      } else if (d.measurement().equals(measurement)) {
        own = d;
      }
    }
    DeadbandSpec base = any == null ? BUILT_IN.deadbands.get(0) : any;
    return own == null ? base : base.overriddenBy(own);
  }
}
