/**
 * Device profiles: one YAML file per device model, loaded and validated at boot (main thread) by
 * {@link io.commguard.gateway.profile.ProfileLoader}, then used read-only by decoders on any
 * thread. {@link io.commguard.gateway.profile.ProfileCatalog} joins the built-in set packaged in
 * the jar with a profiles directory. Protocol- and rule-specific sections are parsed by
 * {@link io.commguard.gateway.profile.ProfileSectionParser}s listed in
 * {@link io.commguard.gateway.ProfileSections}; {@link io.commguard.gateway.validation.YamlReader}
 * helps them report every problem with its exact path. The MQTT {@code decode} section lives in
 * the {@code codec} sub-package. Authoring guide: docs/profiles.md.
 */
package io.commguard.gateway.profile;
