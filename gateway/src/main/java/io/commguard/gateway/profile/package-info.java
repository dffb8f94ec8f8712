/**
 * Device profiles: one YAML file per device model, loaded and validated at boot (main thread),
 * then used read-only by decoders on any thread. Protocol- and rule-specific sections are parsed
 * by {@link io.commguard.gateway.profile.ProfileSectionParser}s registered with the loader.
 */
package io.commguard.gateway.profile;
