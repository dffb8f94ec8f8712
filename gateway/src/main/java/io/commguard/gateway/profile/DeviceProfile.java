package io.commguard.gateway.profile;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One validated device profile (a device model): the common header and the typed sections its
 * registered {@link ProfileSectionParser}s produced. Immutable; shared read-only by every thread.
 *
 * @param source the {@code profile.yaml} it was loaded from
 * @param sections parsed sections by top-level key (only keys present in the file)
 */
public record DeviceProfile(
    String id, String vendor, String model, Protocol protocol, String description, Path source, Map<String, Object> sections) {

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

  /** The folder holding the profile file, its README and its cases. */
  public Path folder() {
    return source == null ? null : source.getParent();
  }
}
