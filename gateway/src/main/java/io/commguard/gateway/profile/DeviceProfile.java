package io.commguard.gateway.profile;

import io.commguard.gateway.model.CanonicalType;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One validated device profile (a device model): the common header and the typed sections its
 * registered {@link ProfileSectionParser}s produced. Immutable; shared read-only by every thread.
 *
 * @param protocol the lower-case name of the source its devices use by default (e.g. {@code mqtt})
 * @param source where it was loaded from, as problems name it: the {@code profile.yaml} path, or
 *     {@code builtin:<vendor>/<model>/profile.yaml} for a profile packaged with the gateway
 * @param sections parsed sections by top-level key (only keys present in the file)
 */
public record DeviceProfile(
    String id, String vendor, String model, String protocol, String description, String source, Map<String, Object> sections) {

  public DeviceProfile {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(protocol, "protocol");
    vendor = vendor == null ? "" : vendor;
    model = model == null ? "" : model;
    description = description == null ? "" : description;
    sections = Map.copyOf(sections == null ? Map.of() : sections);
  }

  /**
   * The parsed section under top-level {@code key}, or null when the file has none.
   *
   * @throws ClassCastException when the registered parser for {@code key} produces another type
   */
  public <T> T section(String key, Class<T> type) {
    return type.cast(sections.get(key));
  }

  /** Every canonical type the profile's sections can give an event, in enum order. */
  public Set<CanonicalType> eventTypes() {
    Set<CanonicalType> types = EnumSet.noneOf(CanonicalType.class);
    for (Object section : sections.values()) {
      if (section instanceof ProducesEventTypes producer) {
        types.addAll(producer.eventTypes());
      }
    }
    return Collections.unmodifiableSet(types);
  }

  /** True for a profile packaged with the gateway, false for one read from a profiles directory. */
  public boolean builtIn() {
    return source != null && source.startsWith(ProfileLoader.BUILTIN_PREFIX);
  }

  /** The folder holding the profile file, its README and its cases; null for a built-in profile. */
  public Path folder() {
    return source == null || builtIn() ? null : Path.of(source).getParent();
  }
}
